// Notifications: reactions to my barks, rebarks of them, replies to them, mentions of me and new followers,
// newest first; the history comes from the server (older pages as the list scrolls), new ones live from the
// stream. Opening the view marks them read. A click opens the bark's thread, or the follower's profile; by
// keyboard, J / K (or Tab, then the arrow keys) pick one and Enter opens it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property Item barkList: list  // J / K move through it (Main.qml); R and L need a bark, not these
    readonly property var icons: ({ reaction: "", rebark: "↻", reply: "💬", mention: "@", follow: "✚" })
    readonly property var verbs: ({ rebark: " rebarked your bark", reply: " replied to your bark",
                                    mention: " mentioned you", follow: " followed you" })

    ListView {
        id: list
        objectName: "notificationsList"
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.margins: Theme.gap
        width: Math.min(720, parent.width - 2 * Theme.gap)
        clip: true
        spacing: 8
        model: notifications.model
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        activeFocusOnTab: true
        Keys.onReturnPressed: if (currentItem) currentItem.open()
        // Older pages load at the end of the list, also while a short list does not fill the view yet.
        function more() {
            if (visible && atYEnd && count > 0 && notifications.hasMore && !notifications.loading)
                notifications.loadMore()
        }
        onAtYEndChanged: more()
        onCountChanged: Qt.callLater(more)
        onVisibleChanged: more()
        Connections { target: notifications; function onViewChanged() { Qt.callLater(list.more) } }

        delegate: Rectangle {
            id: item
            required property var id
            required property string kind
            required property string handle
            required property string displayName
            required property string avatarUrl
            required property string emoji
            required property var barkId
            required property string barkText
            required property string relTime
            objectName: "notification_" + kind + "_" + handle
            width: ListView.view.width
            implicitHeight: row.implicitHeight + 20
            radius: 10
            color: Theme.card
            border.color: Theme.border

            function open() { item.barkId ? nav.openThread(item.barkId) : nav.openProfile(item.handle) }
            FocusRing { objectName: "currentRing"; shown: item.ListView.isCurrentItem && list.activeFocus; radius: 13 }

            MouseArea {
                anchors.fill: parent
                cursorShape: Qt.PointingHandCursor
                onClicked: item.open()
            }

            RowLayout {
                id: row
                anchors.fill: parent
                anchors.margins: 10
                spacing: 10
                Label {
                    text: item.kind === "reaction" ? item.emoji : icons[item.kind]
                    font.pixelSize: 22
                    color: Theme.accent
                    Layout.preferredWidth: 32
                    horizontalAlignment: Text.AlignHCenter
                }
                Avatar {
                    handle: item.handle; name: item.displayName; source: item.avatarUrl
                    implicitWidth: 32; implicitHeight: 32
                    MouseArea { anchors.fill: parent; onClicked: nav.openProfile(item.handle) }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        objectName: "notificationText"
                        text: "<b>" + Theme.esc(item.displayName) + "</b> @" + Theme.esc(item.handle)
                              + (item.kind === "reaction" ? " reacted " + Theme.esc(item.emoji) + " to your bark"
                                                          : verbs[item.kind])
                        textFormat: Text.StyledText
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                    Label {
                        objectName: "notificationBark"
                        visible: item.kind !== "follow" && text !== ""
                        text: item.barkText !== "" ? "“" + item.barkText + "”" : ""
                        textFormat: Text.PlainText
                        color: Theme.muted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                Label { text: item.relTime; color: Theme.muted }
            }
        }

        footer: Item {
            width: list.width
            height: 56
            BusyIndicator { anchors.centerIn: parent; running: notifications.loading; visible: running }
            Label {
                anchors.centerIn: parent
                width: parent.width - 24
                visible: !notifications.loading && (notifications.error !== "" || list.count === 0)
                text: notifications.error !== "" ? notifications.error
                      : "No notifications yet. Reactions, rebarks, replies, mentions and new followers show up here."
                color: notifications.error !== "" ? Theme.danger : Theme.muted
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
            }
        }
    }
}
