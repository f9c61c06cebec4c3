// The radar: me in the centre, each nearby user at their distance (linear, the outer ring = radiusKm).
// The API gives distances only, never directions, so each user's angle is a fixed number derived from a
// hash of their handle (the `angle` role, see nearby.py): the picture shows how far, not which way.
import QtQuick
import QtQuick.Controls

Item {
    id: radar
    property var model
    property int radiusKm: 1
    readonly property real r: Math.min(width, height) / 2 - 28

    Canvas {
        id: canvas
        anchors.fill: parent
        onPaint: {
            var ctx = getContext("2d")
            var cx = width / 2, cy = height / 2
            ctx.reset()
            if (radar.r <= 0)
                return
            var grad = ctx.createRadialGradient(cx, cy, 0, cx, cy, radar.r)
            grad.addColorStop(0, "#17324d")
            grad.addColorStop(1, "#0d1f30")
            ctx.fillStyle = grad
            ctx.beginPath()
            ctx.arc(cx, cy, radar.r, 0, 2 * Math.PI)
            ctx.fill()
            ctx.strokeStyle = "rgba(120, 220, 160, 0.45)"
            ctx.lineWidth = 1
            for (var i = 1; i <= 4; i++) {
                ctx.beginPath()
                ctx.arc(cx, cy, radar.r * i / 4, 0, 2 * Math.PI)
                ctx.stroke()
            }
            ctx.beginPath()
            ctx.moveTo(cx - radar.r, cy); ctx.lineTo(cx + radar.r, cy)
            ctx.moveTo(cx, cy - radar.r); ctx.lineTo(cx, cy + radar.r)
            ctx.stroke()
            ctx.fillStyle = "rgba(150, 230, 180, 0.8)"
            ctx.font = "11px sans-serif"
            for (var j = 1; j <= 4; j++) {
                var km = radar.radiusKm * j / 4
                ctx.fillText((km < 10 ? km.toFixed(km % 1 ? 1 : 0) : Math.round(km)) + " km",
                             cx + 4, cy - radar.r * j / 4 + 13)
            }
        }
    }
    onRadiusKmChanged: canvas.requestPaint()
    onWidthChanged: canvas.requestPaint()
    onHeightChanged: canvas.requestPaint()

    // Me
    Rectangle {
        x: radar.width / 2 - 7
        y: radar.height / 2 - 7
        width: 14; height: 14; radius: 7
        color: Theme.accent
        border.color: "white"
        border.width: 2
    }

    Repeater {
        model: radar.model
        delegate: Item {
            required property string handle
            required property string displayName
            required property int distanceKm
            required property real angle
            readonly property real dist: radar.r * Math.min(1, distanceKm / Math.max(1, radar.radiusKm))
            readonly property real rad: angle * Math.PI / 180
            objectName: "blip_" + handle
            x: radar.width / 2 + dist * Math.cos(rad)
            y: radar.height / 2 - dist * Math.sin(rad)

            Rectangle {
                x: -5; y: -5
                width: 10; height: 10; radius: 5
                color: "#7ee2a8"
                border.color: "#0d1f30"
            }
            Label {
                x: 8; y: -8
                text: "@" + handle
                color: "#d6f5e3"
                font.pixelSize: 11
            }
            MouseArea {
                x: -8; y: -8; width: 16; height: 16
                onClicked: nav.openProfile(handle)
            }
        }
    }
}
