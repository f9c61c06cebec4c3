// A list of people from a controller with a `model`, `loading`, `error` and `message`. One Tab stop for the
// whole list, its current person (UserRow.qml): J / K (or the arrow keys) move the current person, Enter or
// Space opens their profile, and Tab goes on to the current person's buttons.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ListView {
    id: list
    property var controller
    property var note: function(row) { return row.note || "" }
    property Component extraActions: null
    signal atEnd()
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

    delegate: UserRow {
        id: userRow
        required property var model
        width: ListView.view.width
        note: list.note(model)
        Loader {
            sourceComponent: list.extraActions
            property string handle: userRow.handle
            property bool tabStop: userRow.current  // for the loaded buttons, as the row's own
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
