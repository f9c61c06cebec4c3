// A profile: counts and barks; mine can be edited (display name, bio, password), others' followed, muted,
// blocked or reported. A block either way replaces their barks: "unavailable" when they block me, "You block"
// (with Unblock) when I block them.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var user: profile.user
    readonly property bool known: !profile.isMe && user.handle !== undefined  // someone else's, loaded
    readonly property bool unavailable: known && user.blocked_by === true && user.blocking !== true
    readonly property bool blockingThem: known && user.blocking === true
    readonly property Item barkList: profileList.visible ? profileList : null

    // A count that opens a list: looks like the text it is, underlined under the pointer, with a focus ring.
    component CountButton: AbstractButton {
        id: count
        focusPolicy: Qt.StrongFocus
        hoverEnabled: true
        Keys.onReturnPressed: click()
        Keys.onEnterPressed: click()
        HoverHandler { cursorShape: Qt.PointingHandCursor }
        FocusRing { shown: count.visualFocus; radius: 4 }
        contentItem: Label {
            text: count.text
            textFormat: Text.StyledText
            color: Theme.muted
            font.underline: count.hovered
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Rectangle {
            objectName: "profileCard"
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
                        Label {
                            objectName: "profileName"
                            text: user.display_name || ""
                            textFormat: Text.PlainText
                            font.pixelSize: 20
                            font.bold: true
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        // The handle gives way (elides) before "follows you" and "muted" do: those are read whole.
                        RowLayout {
                            Layout.fillWidth: true
                            spacing: 0
                            Label {
                                objectName: "profileHandle"
                                text: "@" + profile.handle
                                textFormat: Text.PlainText
                                color: Theme.muted
                                elide: Text.ElideRight
                                // Whole pixels: a layout rounds a width down, and 101 px for a text 101.1 px
                                // wide would elide it with room to spare.
                                Layout.fillWidth: true
                                Layout.preferredWidth: Math.ceil(implicitWidth)
                                Layout.maximumWidth: Math.ceil(implicitWidth)
                            }
                            Label {
                                objectName: "profileRelation"
                                visible: text !== ""
                                text: (user.followed_by && !profile.isMe ? "  · follows you" : "")
                                      + (known && user.muting ? "  · muted" : "")
                                color: Theme.muted
                                Layout.minimumWidth: implicitWidth
                            }
                            Item { Layout.fillWidth: true }
                        }
                    }
                    ActionButton {
                        objectName: "profileFollow"
                        visible: known && !unavailable && !blockingThem
                        text: user.following ? "Unfollow" : "Follow"
                        highlighted: !user.following
                        onClicked: user.following ? confirm.askUnfollow(profile.handle) : profile.setFollowing(true)
                    }
                }
                // What else can be done about them: quieter than following, so a row of its own.
                RowLayout {
                    visible: known
                    spacing: 8
                    ActionButton {
                        objectName: "profileMute"
                        visible: !unavailable && !blockingThem
                        text: user.muting ? "Unmute" : "Mute…"
                        onClicked: user.muting ? safety.unmute(profile.handle) : safety.askMute(profile.handle)
                    }
                    ActionButton {
                        objectName: "profileBlock"
                        visible: !blockingThem  // then Unblock is below, where their barks would be
                        text: "Block…"
                        onClicked: safety.askBlock(profile.handle)
                    }
                    ActionButton {
                        objectName: "profileReport"
                        text: "Report…"
                        onClicked: reports.reportUser(profile.handle)
                    }
                }
                Label {
                    objectName: "profileBio"
                    visible: !profile.isMe && !unavailable && !blockingThem && text !== ""
                    text: user.bio || ""
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                // The follower and following counts open those lists (by click, or Tab then Enter or Space).
                RowLayout {
                    objectName: "profileCounts"
                    visible: !unavailable
                    spacing: 16
                    Label {
                        objectName: "profileBarks"
                        text: "<b>" + (user.barks_count || 0) + "</b> barks"
                        textFormat: Text.StyledText
                        color: Theme.muted
                    }
                    CountButton {
                        objectName: "profileFollowers"
                        text: "<b>" + (user.followers_count || 0) + "</b> followers"
                        onClicked: nav.openPeople(profile.handle, "followers")
                    }
                    CountButton {
                        objectName: "profileFollowing"
                        text: "<b>" + (user.following_count || 0) + "</b> following"
                        onClicked: nav.openPeople(profile.handle, "following")
                    }
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

        // Instead of their barks when a block stands between us.
        Rectangle {
            objectName: "profileBlocked"
            visible: unavailable || blockingThem
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
            implicitHeight: blockedColumn.implicitHeight + 40
            radius: 10
            color: Theme.card
            border.color: Theme.border
            ColumnLayout {
                id: blockedColumn
                anchors.centerIn: parent
                width: parent.width - 40
                spacing: 10
                Label {
                    objectName: "profileBlockedTitle"
                    Layout.alignment: Qt.AlignHCenter
                    text: blockingThem ? "You block @" + profile.handle : "This account is unavailable"
                    textFormat: Text.PlainText
                    font.pixelSize: 17
                    font.bold: true
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    textFormat: Text.PlainText
                    text: blockingThem ? "You don't see their barks, and they can't see yours. Unblock them to see their barks again."
                                       : "You can't see @" + profile.handle + "'s barks or follow them."
                }
                ActionButton {
                    objectName: "profileUnblock"
                    visible: blockingThem
                    Layout.alignment: Qt.AlignHCenter
                    text: "Unblock"
                    onClicked: safety.unblock(profile.handle)
                }
            }
        }
        Item { visible: unavailable || blockingThem; Layout.fillHeight: true }

        BarkList {
            id: profileList
            objectName: "profileList"
            visible: !unavailable && !blockingThem
            timeline: profile.timeline
            emptyText: profile.isMe ? "You have not barked yet." : "No barks yet."
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
