// Notifications: reactions to my barks and new followers, live from the stream.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
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
        ScrollBar.vertical: ScrollBar {}

        delegate: Rectangle {
            id: item
            required property string kind
            required property string handle
            required property string displayName
            required property string emoji
            required property string barkText
            required property string relTime
            objectName: "notification_" + kind + "_" + handle
            width: ListView.view.width
            implicitHeight: row.implicitHeight + 20
            radius: 10
            color: Theme.card
            border.color: Theme.border

            RowLayout {
                id: row
                anchors.fill: parent
                anchors.margins: 10
                spacing: 10
                Label {
                    text: item.kind === "reaction" ? item.emoji : "✚"
                    font.pixelSize: 22
                    color: Theme.accent
                    Layout.preferredWidth: 32
                    horizontalAlignment: Text.AlignHCenter
                }
                Avatar { handle: item.handle; name: item.displayName; source: item.avatarUrl || ""; implicitWidth: 32; implicitHeight: 32 }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        objectName: "notificationText"
                        text: "<b>" + Theme.esc(item.displayName) + "</b> @" + item.handle
                              + (item.kind === "reaction" ? " reacted " + item.emoji + " to your bark"
                                                          : " followed you")
                        textFormat: Text.StyledText
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                    Label {
                        visible: item.kind === "reaction"
                        text: item.barkText !== "" ? "“" + item.barkText + "”" : ""
                        color: Theme.muted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                Label { text: item.relTime; color: Theme.muted }
            }
            MouseArea { anchors.fill: parent; onClicked: nav.openProfile(item.handle) }
        }

        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: "No notifications yet. Reactions to your barks and new followers show up here."
            color: Theme.muted
        }
    }
}
