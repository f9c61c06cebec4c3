// A round badge with the first letter of a name, in a colour of its own per handle.
import QtQuick
import QtQuick.Controls

Rectangle {
    property string handle: ""
    property string name: ""
    implicitWidth: 40
    implicitHeight: 40
    radius: width / 2
    color: Theme.hue(handle)
    Label {
        anchors.centerIn: parent
        text: (parent.name || parent.handle || "?").charAt(0).toUpperCase()
        color: "white"
        font.bold: true
        font.pixelSize: parent.width * 0.45
    }
}
