// A bark's thread: its ancestors above, the bark highlighted, then the replies indented by depth (deleted
// ones as tombstones so the branches still hang together); "Load more replies" fetches the next page.
// The compose box shows while replying.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property Item barkList: list
    // Opened to reply (💬 or R): the compose box.
    function takeFocus() { compose.replying ? composeBox.focusText() : forceActiveFocus() }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        ComposeBox {
            id: composeBox
            objectName: "threadCompose"
            visible: compose.replying
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
        }

        ListView {
            id: list
            objectName: "threadList"
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
            clip: true
            spacing: 8
            model: thread.model
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: BarkDelegate { width: ListView.view.width }
            // One Tab stop, its current bark (BarkDelegate.qml).
            Keys.onReturnPressed: if (currentItem && !currentItem.focused) nav.openThread(currentItem.barkId)
            // A list with rows has a current one, its Tab stop (ListView leaves none after filling a list that
            // was empty).
            onCountChanged: if (count > 0 && currentIndex < 0) currentIndex = 0

            footer: Item {
                width: list.width
                height: 64
                BusyIndicator { anchors.centerIn: parent; running: thread.loading; visible: running }
                ColumnLayout {
                    anchors.centerIn: parent
                    visible: !thread.loading
                    Button {
                        objectName: "threadMore"
                        FocusRing { shown: parent.visualFocus; radius: 8 }
                        Layout.alignment: Qt.AlignHCenter
                        visible: thread.hasMore && thread.error === ""
                        text: "Load more replies"
                        onClicked: thread.loadMore()
                    }
                    Label {
                        objectName: "threadError"
                        Layout.alignment: Qt.AlignHCenter
                        visible: thread.error !== ""
                        text: thread.error
                        color: Theme.danger
                        wrapMode: Text.Wrap
                        Layout.maximumWidth: list.width - 40
                    }
                    Button {
                        FocusRing { shown: parent.visualFocus; radius: 8 }
                        Layout.alignment: Qt.AlignHCenter
                        visible: thread.error !== ""
                        text: "Retry"
                        onClicked: list.count === 0 ? thread.reload() : thread.loadMore()
                    }
                }
            }
        }
    }
}
