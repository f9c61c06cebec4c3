// A list of barks that loads older pages as it is scrolled to the end (infinite scroll).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ListView {
    id: list
    property var timeline
    property string emptyText: "Nothing here yet."
    clip: true
    spacing: 8
    model: timeline.model
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar {}
    delegate: BarkDelegate { width: ListView.view.width }
    // One Tab stop for the whole list: J / K (or the arrow keys) move the current bark, Enter opens its thread.
    activeFocusOnTab: true
    Keys.onReturnPressed: if (currentItem) nav.openThread(currentItem.barkId)

    onAtYEndChanged: if (atYEnd && count > 0 && timeline.hasMore) timeline.loadMore()

    footer: Item {
        width: list.width
        height: 64
        BusyIndicator {
            anchors.centerIn: parent
            running: list.timeline.loading
            visible: running
        }
        ColumnLayout {
            anchors.centerIn: parent
            visible: !list.timeline.loading
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: list.timeline.error !== "" ? list.timeline.error
                                                 : (list.count === 0 ? list.emptyText : "")
                color: list.timeline.error !== "" ? Theme.danger : Theme.muted
                wrapMode: Text.Wrap
                Layout.maximumWidth: list.width - 40
            }
            Button {
                Layout.alignment: Qt.AlignHCenter
                visible: list.timeline.error !== ""
                text: "Retry"
                onClicked: list.count === 0 ? list.timeline.reload() : list.timeline.loadMore()
            }
        }
    }
}
