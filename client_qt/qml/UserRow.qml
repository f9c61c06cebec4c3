// One person in a list: avatar, names, a note (distance, "followed by …") and a follow button (unfollowing asks
// first). Extra buttons go in `actionsExtra`. The list's current row (J / K, the arrow keys, while the list has
// the keyboard) has an accent ring, and only its buttons are Tab stops.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: row
    required property string handle
    required property string displayName
    required property string avatarUrl
    required property string bio
    required property bool following
    required property bool followedBy
    property string note: ""
    // My own row (a search for my handle, a list of someone's followers): nothing to follow.
    readonly property bool isMe: handle.toLowerCase() === session.handle.toLowerCase()
    readonly property bool current: ListView.isCurrentItem && ListView.view !== null && ListView.view.activeFocus
    // The list's one Tab stop: the row itself, not the list (a list given the keyboard by Tab would hand it to
    // whichever of the row's buttons last had it, so Space would follow instead of opening the profile). Kept
    // while it has the keyboard: Qt refuses to take it from the focused item (J / K move the current row first).
    activeFocusOnTab: ListView.isCurrentItem || activeFocus
    // Its buttons are Tab stops while it is the current row, also before the list has the keyboard: Shift+Tab into
    // the list reaches them (the last first), as Tab does after the row.
    readonly property bool tabStops: ListView.isCurrentItem
    default property alias actionsExtra: extra.data
    // Shown instead of the row's content, at the same height (a dismissed suggestion, with Undo): nothing below
    // moves. Its loaded item may have takeFocus().
    property Component cover: null
    function focusCover() { if (coverLoader.item) coverLoader.item.takeFocus() }

    objectName: "user_" + handle
    implicitHeight: layout.implicitHeight + 20
    radius: 10
    color: Theme.card
    border.color: Theme.border
    FocusRing { objectName: "currentRing"; shown: row.current; radius: 13 }

    // Behind the buttons: a click anywhere else opens the profile.
    MouseArea {
        anchors.fill: parent
        cursorShape: Qt.PointingHandCursor
        onClicked: nav.openProfile(row.handle)
    }

    Loader {
        id: coverLoader
        anchors.fill: parent
        z: 20
        sourceComponent: row.cover
        property string handle: row.handle
    }

    RowLayout {
        id: layout
        visible: row.cover === null  // (its implicit height still sizes the row)
        anchors.fill: parent
        anchors.margins: 10
        spacing: 10

        Avatar { handle: row.handle; name: row.displayName; source: row.avatarUrl }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.minimumWidth: 0
            Layout.preferredWidth: 1
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                Label { text: row.displayName; textFormat: Text.PlainText; font.bold: true; elide: Text.ElideRight
                        Layout.maximumWidth: row.width * 0.3 }
                // The handle gives way (elides) before "follows you" does: that is read whole.
                Label {
                    objectName: "userHandle"
                    text: "@" + row.handle + (row.followedBy ? " ·" : "")
                    textFormat: Text.PlainText
                    color: Theme.muted
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                    Layout.maximumWidth: Math.ceil(implicitWidth)  // (layouts round down: a fraction short elides)
                }
                Label {
                    objectName: "followsYou"
                    visible: row.followedBy
                    text: "follows you"
                    color: Theme.muted
                    Layout.minimumWidth: implicitWidth
                }
                Item { Layout.fillWidth: true }
            }
            Label {
                objectName: "note"
                visible: row.note !== ""
                text: row.note
                textFormat: Text.PlainText
                color: Theme.accent
                font.pixelSize: 13
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                visible: row.bio !== ""
                text: row.bio
                textFormat: Text.PlainText
                color: Theme.muted
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
        }
        ActionButton {
            objectName: "followButton"
            visible: !row.isMe
            text: row.following ? "Following" : "Follow"
            highlighted: !row.following
            activeFocusOnTab: row.tabStops
            onClicked: row.following ? confirm.askUnfollow(row.handle) : social.setFollowing(row.handle, true)
        }
        Row { id: extra; spacing: 6 }
    }
}
