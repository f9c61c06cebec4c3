// A list of barks that loads older pages as it is scrolled to the end (infinite scroll). New barks that arrive
// while it is scrolled down (live, from the stream) go above the view without moving what is being read, and a
// "N new barks" pill at the top offers them: a click (or ".") scrolls to the top. At the top they simply appear.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ListView {
    id: list
    property var timeline
    property string emptyText: "Nothing here yet."
    // Barks that arrived above the view since it was last at the top.
    property int unseen: 0
    readonly property bool atTop: contentY - originY < 1
    clip: true
    spacing: 6
    model: timeline.model
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar {}
    delegate: BarkDelegate { width: ListView.view.width }
    // One Tab stop for the whole list, its current bark (BarkDelegate.qml): J / K (or the arrow keys) move the
    // current bark, Enter opens its thread.
    Keys.onReturnPressed: if (currentItem) nav.openThread(currentItem.barkId)
    // A list with rows has a current one, its Tab stop (ListView leaves none after filling a list that was empty).
    onCountChanged: if (count > 0 && currentIndex < 0) currentIndex = 0

    onAtYEndChanged: if (atYEnd && count > 0 && timeline.hasMore) timeline.loadMore()
    onAtTopChanged: if (atTop) unseen = 0

    function scrollToTop() {
        unseen = 0
        positionViewAtBeginning()
    }

    // The model tells of an insertion (rowsInserted) before the view learns of it, so whether the view was at the
    // top, and which bark was at its top edge and where, is known there; then (countChanged, once the view knows)
    // the view lays the new barks out at once and, below the top, scrolls by as much as that bark moved (a bark
    // inserted in view would push it down; one inserted further up moves only the list's origin).
    property bool wasAtTop: false
    property Item reading: null
    property real readingWas: 0
    Connections {
        target: list.model
        function onRowsInserted(parent, first, last) {
            list.wasAtTop = list.atTop
            if (list.atTop) return
            var top = list.itemAt(list.width / 2, list.contentY + 1)
            if (!top) top = list.itemAt(list.width / 2, list.contentY + 1 + list.spacing)  // in a gap
            if (!top || first > top.index) return  // older barks, below what is read
            list.unseen += last - first + 1
            list.reading = top
            list.readingWas = top.y
        }
        function onCountChanged() {
            if (list.wasAtTop) {
                list.forceLayout()
                list.positionViewAtBeginning()  // the new barks show at the top
            } else if (list.reading) {
                list.forceLayout()
                list.contentY += list.reading.y - list.readingWas
            }
            list.wasAtTop = false
            list.reading = null
        }
        function onModelReset() { list.unseen = 0 }
    }
    Connections {
        target: list.timeline
        function onPosted() { list.scrollToTop() }
    }

    Rectangle {
        id: pill
        objectName: "newBarksPill"
        parent: list
        visible: list.unseen > 0
        z: 20
        anchors.horizontalCenter: parent.horizontalCenter
        y: 10
        width: pillLabel.implicitWidth + 32
        height: pillLabel.implicitHeight + 14
        radius: height / 2
        color: Theme.accent
        Accessible.role: Accessible.Button
        Accessible.name: pillLabel.text
        Label {
            id: pillLabel
            objectName: "newBarksText"
            anchors.centerIn: parent
            text: "↑ " + list.unseen + (list.unseen === 1 ? " new bark" : " new barks")
            color: Theme.textOnAccent
            font.bold: true
        }
        MouseArea {
            anchors.fill: parent
            cursorShape: Qt.PointingHandCursor
            onClicked: list.scrollToTop()
        }
    }

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
                FocusRing { shown: parent.visualFocus; radius: 8 }
                Layout.alignment: Qt.AlignHCenter
                visible: list.timeline.error !== ""
                text: "Retry"
                onClicked: list.count === 0 ? list.timeline.reload() : list.timeline.loadMore()
            }
        }
    }
}
