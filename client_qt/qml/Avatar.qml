// A round avatar: the user's picture when they have one (`source`, the API's avatar_thumbnail_url),
// else a badge with the first letter of their name in a colour of its own per handle.
import QtQuick
import QtQuick.Controls
import QtQuick.Effects

Rectangle {
    id: badge
    property string handle: ""
    property string name: ""
    property string source: ""
    implicitWidth: 40
    implicitHeight: 40
    radius: width / 2
    color: Theme.hue(handle)
    Label {
        anchors.centerIn: parent
        visible: photo.status !== Image.Ready
        text: (badge.name || badge.handle || "?").charAt(0).toUpperCase()
        color: "white"
        font.bold: true
        font.pixelSize: badge.width * 0.45
    }
    Image {
        id: photo
        objectName: "avatarImage"
        readonly property int loadStatus: status  // for tests: PySide can't read the enum
        anchors.fill: parent
        visible: badge.source !== ""
        source: badge.source !== "" ? session.mediaUrl(badge.source) : ""
        asynchronous: true
        fillMode: Image.PreserveAspectCrop
        sourceSize: Qt.size(128, 128)
        layer.enabled: status === Image.Ready
        layer.effect: MultiEffect {
            maskEnabled: true
            maskSource: circle
            maskThresholdMin: 0.5
            maskSpreadAtMin: 1.0
        }
    }
    Rectangle {
        id: circle
        anchors.fill: parent
        radius: width / 2
        visible: false
        layer.enabled: true
        layer.smooth: true
    }
}
