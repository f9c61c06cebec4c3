// A profile: counts and barks; mine can be edited (display name, bio, password), others' followed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var user: profile.user

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Rectangle {
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
            implicitHeight: header.implicitHeight + 32
            radius: 10
            color: Theme.card
            border.color: Theme.border

            ColumnLayout {
                id: header
                anchors.fill: parent
                anchors.margins: 16
                spacing: 8

                RowLayout {
                    spacing: 14
                    Avatar {
                        objectName: "profileAvatar"
                        handle: profile.handle
                        name: user.display_name || ""
                        source: user.avatar_thumbnail_url || ""
                        implicitWidth: 64
                        implicitHeight: 64
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        Label { objectName: "profileName"; text: user.display_name || ""; font.pixelSize: 20; font.bold: true }
                        Label {
                            text: "@" + profile.handle + (user.followed_by && !profile.isMe ? "  · follows you" : "")
                            color: Theme.muted
                        }
                    }
                    ActionButton {
                        objectName: "profileFollow"
                        visible: !profile.isMe && user.handle !== undefined
                        text: user.following ? "Unfollow" : "Follow"
                        highlighted: !user.following
                        onClicked: profile.setFollowing(!user.following)
                    }
                    ActionButton {
                        objectName: "profileReport"
                        visible: !profile.isMe && user.handle !== undefined
                        text: "Report"
                        onClicked: reports.reportUser(profile.handle)
                    }
                }
                Label {
                    visible: !profile.isMe && text !== ""
                    text: user.bio || ""
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "profileCounts"
                    text: "<b>" + (user.barks_count || 0) + "</b> barks   <b>" + (user.followers_count || 0)
                          + "</b> followers   <b>" + (user.following_count || 0) + "</b> following"
                    textFormat: Text.StyledText
                    color: Theme.muted
                }

                ProfileEditor {
                    visible: profile.isMe
                    Layout.fillWidth: true
                }

                Label {
                    objectName: "profileError"
                    visible: text !== ""
                    text: profile.error
                    color: Theme.danger
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "profileMessage"
                    visible: text !== ""
                    text: profile.message
                    color: Theme.ok
                }
            }
        }

        BarkList {
            objectName: "profileList"
            timeline: profile.timeline
            emptyText: profile.isMe ? "You have not barked yet." : "No barks yet."
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
