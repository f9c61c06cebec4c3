// A list of people from a controller with a `model`, `loading`, `error` and `message`. One Tab stop for the
// whole list, its current person (UserRow.qml): J / K (or the arrow keys) move the current person, Enter or
// Space opens their profile, and Tab goes on to the current person's buttons. A row the controller marks
// `dismissed` keeps its place and height, shown as dismissed with Undo (`undo(handle)`), so the rows below do
// not move up under the pointer; `pointerLeft()` says when they may.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ListView {
    id: list
    property var controller
    property var note: function(row) { return row.note || "" }
    property Component extraActions: null
    signal atEnd()
    signal undo(string handle)
    signal pointerLeft()
    clip: true
    spacing: 8
    model: controller.model
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar {}
    onAtYEndChanged: if (atYEnd && count > 0) atEnd()
    function openCurrent() { if (currentItem) nav.openProfile(currentItem.handle) }
    Keys.onReturnPressed: openCurrent()
    Keys.onEnterPressed: openCurrent()
    Keys.onSpacePressed: openCurrent()
    // A list with rows has a current one, its Tab stop (ListView leaves none after filling a list that was empty).
    onCountChanged: if (count > 0 && currentIndex < 0) currentIndex = 0
    HoverHandler {
        onHoveredChanged: if (!hovered) list.pointerLeft()
    }

    delegate: UserRow {
        id: userRow
        required property var model
        width: ListView.view.width
        note: list.note(model)
        cover: model.dismissed === true ? dismissedCover : null
        Loader {
            sourceComponent: list.extraActions
            property string handle: userRow.handle
            property bool tabStop: userRow.tabStops  // for the loaded buttons, as the row's own
            property Item row: userRow  // (its focusCover, after a dismissal by keyboard)
        }
    }

    Component {
        id: dismissedCover
        Rectangle {
            id: cover
            objectName: "dismissedRow"
            readonly property string handle: parent ? parent.handle : ""
            function takeFocus() { undoButton.forceActiveFocus(Qt.TabFocusReason) }
            radius: 10
            color: Theme.background
            border.color: Theme.border
            MouseArea { anchors.fill: parent }  // the row's own click (open the profile) is covered too
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 16
                anchors.rightMargin: 10
                Label {
                    text: "Dismissed · you won't see @" + cover.handle + " suggested again."
                    textFormat: Text.PlainText
                    color: Theme.muted
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ActionButton {
                    id: undoButton
                    objectName: "undoDismiss"
                    text: "Undo"
                    onClicked: {
                        var byKeyboard = activeFocus
                        var handle = cover.handle
                        list.undo(handle)  // (this cover goes)
                        if (!byKeyboard) return
                        for (var i = 0; i < list.count; i++) {  // the keyboard goes back to the row
                            var row = list.itemAtIndex(i)
                            if (row && row.handle === handle) {
                                list.currentIndex = i
                                row.forceActiveFocus(Qt.TabFocusReason)
                            }
                        }
                    }
                }
            }
        }
    }

    footer: Item {
        width: list.width
        height: 56
        BusyIndicator { anchors.centerIn: parent; running: list.controller.loading; visible: running }
        Label {
            anchors.centerIn: parent
            width: parent.width - 24
            visible: !list.controller.loading
            text: list.controller.error || list.controller.message
            color: list.controller.error ? Theme.danger : Theme.muted
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
