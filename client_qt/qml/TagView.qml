// A tag's timeline: the barks with #tag, newest first, loading older ones as it scrolls.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property Item barkList: list
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Label {
            objectName: "tagTitle"
            text: "#" + tag.tag
            font.pixelSize: 22
            font.bold: true
            color: Theme.accent
            Layout.maximumWidth: 720
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignHCenter
            elide: Text.ElideRight
        }

        BarkList {
            id: list
            objectName: "tagList"
            timeline: tag.timeline
            emptyText: "No barks with #" + tag.tag + " yet."
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
