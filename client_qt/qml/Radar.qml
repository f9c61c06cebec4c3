// The radar: me in the centre, each nearby user at their distance on a log scale (rings at 1, 10, 100 …
// km up to radiusKm), so next-door neighbours and people on another continent fit in one picture.
// The API gives distances only, never directions, so each user's angle is a fixed number derived from a
// hash of their handle (the `angle` role, see formatting.radar_angle): the picture shows how far, not
// which way.
import QtQuick
import QtQuick.Controls

Item {
    id: radar
    property var model
    property int radiusKm: 1
    readonly property real r: Math.min(width, height) / 2 - 28
    readonly property int rings: Math.max(1, Math.round(Math.log(radiusKm) / Math.LN10))

    // Distance (km) to pixels from the centre.
    function scale(km) {
        return r * Math.min(1, Math.log(1 + km) / Math.log(1 + radiusKm))
    }

    Canvas {
        id: canvas
        anchors.fill: parent
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        onPaint: {
            var ctx = getContext("2d")
            var cx = width / 2, cy = height / 2
            ctx.reset()
            if (radar.r <= 0)
                return
            var grad = ctx.createRadialGradient(cx, cy, 0, cx, cy, radar.r)
            grad.addColorStop(0, Theme.radarTop)
            grad.addColorStop(1, Theme.radarBottom)
            ctx.fillStyle = grad
            ctx.beginPath()
            ctx.arc(cx, cy, radar.r, 0, 2 * Math.PI)
            ctx.fill()
            ctx.strokeStyle = Theme.radarRing
            ctx.lineWidth = 1
            ctx.beginPath()
            ctx.moveTo(cx - radar.r, cy); ctx.lineTo(cx + radar.r, cy)
            ctx.moveTo(cx, cy - radar.r); ctx.lineTo(cx, cy + radar.r)
            ctx.stroke()
            ctx.fillStyle = Theme.radarText
            ctx.font = "11px sans-serif"
            var km = 1
            for (var i = 0; i <= radar.rings; i++, km *= 10) {
                var ring = radar.scale(km)
                ctx.beginPath()
                ctx.arc(cx, cy, ring, 0, 2 * Math.PI)
                ctx.stroke()
                ctx.fillText(km.toLocaleString(Qt.locale("en_US"), "f", 0) + " km", cx + 4, cy - ring + 13)
            }
        }
    }
    onRadiusKmChanged: canvas.requestPaint()

    Repeater {
        model: radar.model
        delegate: Item {
            id: blip
            required property int index
            required property string handle
            required property int distanceKm
            required property real angle
            readonly property real dist: radar.scale(distanceKm)
            readonly property real rad: angle * Math.PI / 180
            objectName: "blip_" + handle
            x: radar.width / 2 + dist * Math.cos(rad)
            y: radar.height / 2 - dist * Math.sin(rad)

            Rectangle {
                x: -5; y: -5
                width: 10; height: 10; radius: 5
                color: Theme.radarDot
                border.color: Theme.radarBottom
            }
            // Names for the nearest few; the others on hover (the list beside says who is who).
            Label {
                objectName: "blipLabel"
                visible: blip.index < 4 || hover.containsMouse
                // Beside the dot, on the side away from me; above it (below, at the top) when that side has no
                // room; never past the radar's edges, where the window's edge or the list beside would cut it.
                readonly property real beside: Math.cos(blip.rad) >= 0 ? 9 : -width - 9
                readonly property bool roomBeside: blip.x + beside >= 0 && blip.x + beside + width <= radar.width
                readonly property real above: blip.y - height - 8 >= 0 ? -height - 8 : 8
                x: Math.max(-blip.x, Math.min(roomBeside ? beside : -width / 2, radar.width - blip.x - width))
                y: Math.max(-blip.y, Math.min(roomBeside ? -height / 2 : above, radar.height - blip.y - height))
                z: hover.containsMouse ? 2 : 1
                text: "@" + blip.handle + " · " + blip.distanceKm + " km"
                color: Theme.radarLabel
                font.pixelSize: 11
                padding: 2
                leftPadding: 5
                rightPadding: 5
                background: Rectangle { color: Theme.radarLabelBack; radius: 4 }
            }
            MouseArea {
                id: hover
                x: -8; y: -8; width: 16; height: 16
                hoverEnabled: true
                cursorShape: Qt.PointingHandCursor
                onClicked: nav.openProfile(blip.handle)
            }
        }
    }

    // Me, on top
    Rectangle {
        x: radar.width / 2 - 7
        y: radar.height / 2 - 7
        width: 14; height: 14; radius: 7
        color: Theme.accent
        border.color: Theme.radarSelf
        border.width: 2
    }
}
