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
    // The first character as a reader sees it: a whole code point (an emoji is two UTF-16 units, and half of
    // one draws as "�"), with what joins onto it (accents, variation selectors, skin tones, the second letter
    // of a flag, the rest of a sequence joined by zero-width joiners).
    function initial(text) {
        var points = []  // code points (QML's Array.from splits a string into UTF-16 units)
        for (var at = 0; at < text.length; at += points[points.length - 1].length)
            points.push(String.fromCodePoint(text.codePointAt(at)))
        var first = points.length > 0 ? points[0] : "?"
        var flag = c => c >= 0x1F1E6 && c <= 0x1F1FF
        for (var i = 1; i < points.length; i++) {
            var c = points[i].codePointAt(0)
            var joins = (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF)
                        || (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F)
                        || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F) || c === 0x200D
                        || points[i - 1] === "\u200D" || (i === 1 && flag(c) && flag(first.codePointAt(0)))
            if (!joins) break
            first += points[i]
        }
        return first.toUpperCase()
    }
    Label {
        objectName: "avatarInitial"
        anchors.centerIn: parent
        visible: photo.status !== Image.Ready
        text: badge.initial(badge.name || badge.handle || "?")
        textFormat: Text.PlainText
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
