// Navigation between the pages, with the unread-notification count.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    color: Theme.card
    border.color: Theme.border

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 4

        Label {
            text: "🐶 Barker"
            font.pixelSize: 22
            font.bold: true
            color: Theme.accent
            Layout.bottomMargin: 16
            Layout.leftMargin: 8
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
                required property var modelData
                objectName: "nav_" + modelData.page
                Layout.fillWidth: true
                // The reports queue is for moderators and admins only (the server refuses anyone else too).
                visible: modelData.page !== "moderation" || session.role === "moderator" || session.role === "admin"
                highlighted: nav.page === modelData.page
                focusPolicy: Qt.StrongFocus  // an ItemDelegate is not in the Tab chain by default
                FocusRing { shown: parent.visualFocus; radius: 10 }
                onClicked: modelData.page === "profile" ? nav.openProfile(session.handle) : nav.open(modelData.page)
                background: Rectangle {
                    radius: 8
                    color: parent.highlighted ? Theme.accentSoft : (parent.hovered ? Theme.hover : "transparent")
                }
                contentItem: RowLayout {
                    spacing: 10
                    Label {
                        text: modelData.icon
                        font.pixelSize: 18
                        color: nav.page === modelData.page ? Theme.accent : Theme.muted
                        Layout.preferredWidth: 20
                    }
                    Label {
                        text: modelData.label
                        font.pixelSize: 15
                        font.bold: nav.page === modelData.page
                        color: nav.page === modelData.page ? Theme.accent : Theme.text
                        Layout.fillWidth: true
                    }
                    Rectangle {
                        objectName: "unreadBadge"
                        visible: modelData.page === "notifications" && notifications.unread > 0
                        radius: 10
                        color: Theme.accent
                        implicitWidth: Math.max(20, unreadText.implicitWidth + 10)
                        implicitHeight: 20
                        Label {
                            id: unreadText
                            objectName: "unreadCount"
                            anchors.centerIn: parent
                            text: notifications.unread
                            color: Theme.textOnAccent
                            font.pixelSize: 11
                            font.bold: true
                        }
                    }
                }
            }
        }

        Item { Layout.fillHeight: true }

        Label {
            objectName: "sideName"
            text: session.me.display_name ? session.me.display_name : ""
            textFormat: Text.PlainText
            font.bold: true
            Layout.leftMargin: 8
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            text: "@" + session.handle
            color: Theme.muted
            Layout.leftMargin: 8
        }
        Button {
            objectName: "logoutButton"
            text: "Log out"
            flat: true
            Layout.fillWidth: true
            onClicked: session.logOut()
        }
    }
}
