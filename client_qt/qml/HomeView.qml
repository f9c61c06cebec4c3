// Home: write a bark, and the home timeline, newest first; new barks arrive live from the stream.
import QtQuick
import QtQuick.Layouts

Item {
    readonly property Item barkList: list  // J / K / R / L act on its current bark (Main.qml)
    function takeFocus() { composeBox.focusText() }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        ComposeBox {
            id: composeBox
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
        }

        BarkList {
            id: list
            objectName: "homeList"
            timeline: home
            emptyText: "Your timeline is empty: follow people from Suggestions, Search or Nearby."
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
