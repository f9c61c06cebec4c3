// One bark: who and when, the text (mentions, tags and links clickable), its images (thumbnails; a click opens
// the full-size viewer), and reply / rebark / reaction / bookmark buttons whose counts update live; a menu (⋯)
// reports the bark or mutes or blocks its author. A rebark shows who rebarked it above the bark it rebarks. A
// click elsewhere on the card opens its thread. In a thread a bark is indented by its depth, the bark the
// thread is about is highlighted, and a deleted one is a tombstone. The list's current bark (J / K, the arrow
// keys, while the list has the keyboard) has an accent ring, and only its buttons are Tab stops.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: card
    required property int index
    required property var barkId
    required property string handle
    required property string displayName
    required property string avatarUrl
    required property string text
    required property string html
    required property var linkTargets
    required property var media
    required property string relTime
    required property string rebarkedBy
    required property string rebarkedByHandle
    required property var reactions
    required property int rebarkCount
    required property bool rebarkedByMe
    required property string replyToHandle
    required property bool isReply
    required property int depth
    required property bool deleted
    required property bool focused
    required property int replyCount
    required property bool bookmarked
    readonly property var palette_: ["👍", "❤️", "😂", "🐶", "🎉", "🔥"]

    // The list places delegates at x = 0, so a thread's indentation is inside: the frame moves right.
    readonly property int indent: Math.min(depth, 8) * 24
    readonly property color shade: frame.color
    readonly property bool current: ListView.isCurrentItem && ListView.view !== null && ListView.view.activeFocus
    // The list's one Tab stop: the bark itself, not the list (Shift+Tab from one of its buttons skips a list,
    // which is a focus scope, and leaves the list). Kept while it has the keyboard: Qt refuses to take it from the
    // focused item (J / K move the current bark first).
    activeFocusOnTab: ListView.isCurrentItem || activeFocus
    // Its buttons are Tab stops while it is the current bark, also before the list has the keyboard: Shift+Tab
    // into the list reaches them (the last first), as Tab does after the bark.
    readonly property bool tabStops: ListView.isCurrentItem

    objectName: "bark_" + barkId
    // Dense, as in the usual social clients: more barks per screen, nothing cut (the margins are 10 px).
    implicitHeight: (deleted ? tombstone.implicitHeight : content.implicitHeight) + 20

    Rectangle {
        id: frame
        objectName: "barkFrame"
        x: card.indent
        width: card.width - card.indent
        height: card.height
        radius: 10
        color: card.focused ? Theme.accentSoft : Theme.card
        border.color: card.focused ? Theme.accent : Theme.border
        border.width: card.focused ? 2 : 1
        FocusRing { objectName: "currentRing"; shown: card.current; radius: 13 }

        // Behind the rest: a click on the card (not on a name, link or button) opens the bark's thread.
        MouseArea {
            objectName: "openThread"
            anchors.fill: parent
            enabled: !card.deleted && !card.focused
            cursorShape: enabled ? Qt.PointingHandCursor : Qt.ArrowCursor
            onClicked: nav.openThread(card.barkId)
        }

        Label {
            id: tombstone
            objectName: "tombstone"
            visible: card.deleted
            anchors.left: parent.left
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: 16
            text: "This bark was deleted"
            color: Theme.muted
            font.italic: true
        }

        ColumnLayout {
            id: content
            visible: !card.deleted
            anchors.fill: parent
            anchors.margins: 10
            spacing: 2

            Label {
                objectName: "rebarkedBy"
                visible: card.rebarkedBy !== ""
                text: "↻ " + card.rebarkedBy + " rebarked"
                textFormat: Text.PlainText
                color: Theme.muted
                font.pixelSize: 12
                Layout.leftMargin: 50
                MouseArea { anchors.fill: parent; onClicked: nav.openProfile(card.rebarkedByHandle) }
            }

            RowLayout {
                spacing: 10
                Avatar {
                    handle: card.handle
                    name: card.displayName
                    source: card.avatarUrl
                    Layout.alignment: Qt.AlignTop
                    MouseArea { anchors.fill: parent; onClicked: nav.openProfile(card.handle) }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    RowLayout {
                        spacing: 6
                        Label {
                            objectName: "barkName"
                            text: card.displayName
                            textFormat: Text.PlainText
                            font.bold: true
                            elide: Text.ElideRight
                            Layout.maximumWidth: 260
                            MouseArea { anchors.fill: parent; onClicked: nav.openProfile(card.handle) }
                        }
                        Label { text: "@" + card.handle + " · " + card.relTime; color: Theme.muted; elide: Text.ElideRight
                                Layout.fillWidth: true }
                    }
                    Label {
                        objectName: "replyingTo"
                        visible: card.isReply
                        text: card.replyToHandle !== "" ? "↩ replying to @" + card.replyToHandle
                                                        : "↩ replying to a deleted bark"
                        color: Theme.muted
                        font.pixelSize: 12
                    }
                    // The text is built in Python (client_qt/rich_text.py): every piece of user text escaped, and
                    // links only for the bark's entities, each href the index of its target in `linkTargets`.
                    Label {
                        objectName: "barkText"
                        readonly property int format: textFormat  // for tests: PySide can't read the enum
                        text: card.html
                        wrapMode: Text.Wrap
                        textFormat: Text.StyledText
                        linkColor: Theme.accent
                        font.pixelSize: 15
                        Layout.fillWidth: true
                        visible: card.text !== ""
                        onLinkActivated: (link) => links.activate(card.linkTargets[Number(link)])
                        HoverHandler { cursorShape: parent.hoveredLink !== "" ? Qt.PointingHandCursor : Qt.ArrowCursor }
                    }
                    BarkMedia {
                        media: card.media
                        tabStop: card.tabStops
                        Layout.fillWidth: true
                        Layout.maximumWidth: 520
                        Layout.topMargin: 4
                    }
                    Flow {
                        Layout.fillWidth: true
                        Layout.topMargin: 2
                        spacing: 6

                        Chip {
                            tabStop: card.tabStops
                            objectName: "replyButton"
                            text: "💬 " + card.replyCount
                            tip: "Reply"
                            onClicked: {
                                compose.replyTo(card.barkId, card.handle, card.text)
                                nav.openThread(card.barkId)
                            }
                        }
                        Chip {
                            tabStop: card.tabStops
                            objectName: "rebarkButton"
                            text: "↻ " + card.rebarkCount
                            active: card.rebarkedByMe
                            tip: card.rebarkedByMe ? "Undo rebark" : "Rebark"
                            onClicked: actions.toggleRebark(card.barkId, card.rebarkedByMe)
                        }
                        Repeater {
                            model: card.reactions
                            delegate: Chip {
                                tabStop: card.tabStops
                                required property var modelData
                                objectName: "reaction_" + modelData.emoji
                                text: modelData.emoji + " " + modelData.count
                                active: modelData.mine
                                tip: modelData.mine ? "Remove your reaction" : "React"
                                onClicked: actions.toggleReaction(card.barkId, modelData.emoji, modelData.mine)
                            }
                        }
                        Chip {
                            tabStop: card.tabStops
                            objectName: "reactButton"
                            text: "☺ +"
                            tip: "React"
                            onClicked: picker.open()
                            Popup {
                                id: picker
                                y: parent.height + 4
                                padding: 6
                                Row {
                                    spacing: 2
                                    Repeater {
                                        model: card.palette_
                                        delegate: ToolButton {
                                            required property string modelData
                                            objectName: "pick_" + modelData
                                            text: modelData
                                            font.pixelSize: 18
                                            onClicked: {
                                                picker.close()
                                                var mine = card.reactions.some(r => r.emoji === modelData && r.mine)
                                                actions.toggleReaction(card.barkId, modelData, mine)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        Chip {
                            tabStop: card.tabStops
                            objectName: "bookmarkButton"
                            text: card.bookmarked ? "🔖 Saved" : "🔖"
                            active: card.bookmarked
                            tip: card.bookmarked ? "Remove the bookmark" : "Bookmark"
                            onClicked: actions.toggleBookmark(card.barkId, card.bookmarked)
                        }
                        Chip {
                            tabStop: card.tabStops
                            objectName: "deleteButton"
                            visible: card.handle === session.handle && card.rebarkedBy === ""
                            text: "Delete…"
                            tip: "Delete this bark"
                            onClicked: confirm.askDelete(card.barkId)
                        }
                        // Someone else's bark: report it, or mute or block its author (each asks first).
                        Chip {
                            tabStop: card.tabStops
                            objectName: "barkMenuButton"
                            visible: card.handle !== session.handle
                            text: "⋯"
                            tip: "Report, mute or block"
                            onClicked: barkMenu.open()
                            Menu {
                                id: barkMenu
                                objectName: "barkMenu"
                                y: parent.height + 4
                                MenuItem {
                                    objectName: "reportBarkButton"
                                    text: "⚑ Report this bark…"
                                    onTriggered: reports.reportBark(card.handle, card.barkId, card.text)
                                }
                                MenuItem {
                                    objectName: "barkMute"
                                    text: "Mute @" + card.handle + "…"
                                    onTriggered: safety.askMute(card.handle)
                                }
                                MenuItem {
                                    objectName: "barkBlock"
                                    text: "Block @" + card.handle + "…"
                                    onTriggered: safety.askBlock(card.handle)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
