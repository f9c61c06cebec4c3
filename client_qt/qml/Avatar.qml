// A round avatar: the user's picture when they have one (`source`, the API's avatar_thumbnail_url),
// else a badge with the first letter of their name in a colour of its own per handle.
import QtQuick
import QtQuick.Controls

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
        color: Theme.textOnAvatar
        font.bold: true
        font.pixelSize: badge.width * 0.45
    }
    // The picture, loaded by an Image (invisible: it only holds the pixels) and drawn clipped to the circle
    // by a Canvas, which renders with any scene graph backend (software included; shader masks need a GPU).
    Image {
        id: photo
        objectName: "avatarImage"
        readonly property int loadStatus: status  // for tests: PySide can't read the enum
        anchors.fill: parent
        opacity: 0
        visible: badge.source !== ""
        source: badge.source !== "" ? session.mediaUrl(badge.source) : ""
        asynchronous: true
        fillMode: Image.PreserveAspectCrop
        sourceSize: Qt.size(128, 128)
        onStatusChanged: {
            if (status === Image.Ready)
                round.loadImage(source)  // from the cache this Image just filled
            round.requestPaint()
        }
    }
    Canvas {
        id: round
        anchors.fill: parent
        visible: photo.visible
        onWidthChanged: requestPaint()
        onVisibleChanged: requestPaint()
        onImageLoaded: requestPaint()
        onPaint: {
            var ctx = getContext("2d")
            ctx.reset()
            var url = photo.source.toString()
            if (url === "" || photo.status !== Image.Ready || !isImageLoaded(url))
                return
            ctx.beginPath()
            ctx.arc(width / 2, height / 2, width / 2, 0, 2 * Math.PI)
            ctx.closePath()
            ctx.clip()
            ctx.drawImage(url, 0, 0, width, height)
        }
    }
}
