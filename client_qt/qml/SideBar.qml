// Navigation between the pages, with the unread-notification count. `compact` (a narrow window): icons only,
// each with its name as a tooltip and as its accessible name (a button's text); still Tab stops with a ring.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: bar
    property bool compact: false
    color: Theme.card
    border.color: Theme.border

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: bar.compact ? 8 : 12
        spacing: 4

        Label {
            objectName: "brand"
            text: bar.compact ? "🐶" : "🐶 Barker"
            font.pixelSize: 22
            font.bold: true
            color: Theme.accent
            Layout.bottomMargin: 16
            Layout.leftMargin: bar.compact ? 0 : 8
            Layout.alignment: bar.compact ? Qt.AlignHCenter : Qt.AlignLeft
            Layout.topMargin: 6
        }

        Repeater {
            model: [
                { page: "home", label: "Home", icon: "⌂" },
                { page: "profile", label: "Profile", icon: "☺" },
                { page: "nearby", label: "Nearby", icon: "◎" },
                { page: "suggestions", label: "Suggestions", icon: "✚" },
                { page: "search", label: "Search", icon: "⌕" },
                { page: "notifications", label: "Notifications", icon: "♪" },
                { page: "bookmarks", label: "Bookmarks", icon: "🔖" },
                { page: "settings", label: "Settings", icon: "⚙" },
                { page: "moderation", label: "Moderation", icon: "⚑" }
            ]
            delegate: ItemDelegate {
                id: entry
                required property var modelData
                readonly property bool unread: modelData.page === "notifications" && notifications.unread > 0
                objectName: "nav_" + modelData.page
                text: modelData.label  // not drawn (contentItem is below): the accessible name, the tooltip
                Layout.fillWidth: true
                leftPadding: bar.compact ? 0 : 12
                rightPadding: bar.compact ? 0 : (unread ? badge.width + 16 : 12)
                // The reports queue is for moderators and admins only (the server refuses anyone else too).
                visible: modelData.page !== "moderation" || session.role === "moderator" || session.role === "admin"
                highlighted: nav.page === modelData.page
                focusPolicy: Qt.StrongFocus  // an ItemDelegate is not in the Tab chain by default
                FocusRing { shown: parent.visualFocus; radius: 10 }
                // Beside the icon, not over the next one.
                ToolTip {
                    objectName: "navTip"
                    visible: bar.compact && (entry.hovered || entry.visualFocus)
                    text: entry.text
                    delay: 300
                    x: entry.width + 8
                    y: (entry.height - height) / 2
                }
                onClicked: modelData.page === "profile" ? nav.openProfile(session.handle) : nav.open(modelData.page)
                background: Rectangle {
                    radius: 8
                    color: parent.highlighted ? Theme.accentSoft : (parent.hovered ? Theme.hover : "transparent")
                }
                contentItem: RowLayout {
                    spacing: 10
                    Label {
                        text: entry.modelData.icon
                        font.pixelSize: 18
                        color: entry.highlighted ? Theme.accent : Theme.muted
                        horizontalAlignment: Text.AlignHCenter
                        Layout.preferredWidth: 20
                        Layout.fillWidth: bar.compact
                    }
                    Label {
                        objectName: "navLabel"
                        visible: !bar.compact
                        text: entry.text
                        font.pixelSize: 15
                        font.bold: entry.highlighted
                        color: entry.highlighted ? Theme.accent : Theme.text
                        Layout.fillWidth: true
                    }
                }
                // After the name; over the icon's corner when there is no name.
                Rectangle {
                    id: badge
                    objectName: "unreadBadge"
                    visible: entry.unread
                    x: bar.compact ? entry.width / 2 + 3 : entry.width - width - 12
                    y: bar.compact ? 1 : (entry.height - height) / 2
                    radius: height / 2
                    color: Theme.accent
                    width: Math.max(height, unreadText.implicitWidth + (bar.compact ? 8 : 10))
                    height: bar.compact ? 16 : 20
                    Label {
                        id: unreadText
                        objectName: "unreadCount"
                        anchors.centerIn: parent
                        text: notifications.unread
                        color: Theme.textOnAccent
                        font.pixelSize: bar.compact ? 10 : 11
                        font.bold: true
                    }
                }
            }
        }

        Item { Layout.fillHeight: true }

        Label {
            objectName: "sideName"
            visible: !bar.compact
            text: session.me.display_name ? session.me.display_name : ""
            textFormat: Text.PlainText
            font.bold: true
            Layout.leftMargin: 8
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            visible: !bar.compact
            text: "@" + session.handle
            textFormat: Text.PlainText
            color: Theme.muted
            Layout.leftMargin: 8
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Button {
            id: logout
            objectName: "logoutButton"
            text: bar.compact ? "⇥" : "Log out"
            Accessible.name: "Log out"
            flat: true
            Layout.fillWidth: true
            FocusRing { shown: logout.visualFocus; radius: 8 }
            ToolTip {
                visible: bar.compact && (logout.hovered || logout.visualFocus)
                text: "Log out"
                delay: 300
                x: logout.width + 8
                y: (logout.height - height) / 2
            }
            onClicked: confirm.askLogOut()
        }
    }
}
