// Colours and sizes shared by every view.
pragma Singleton
import QtQuick

QtObject {
    readonly property color background: "#f4f5f7"
    readonly property color card: "#ffffff"
    readonly property color border: "#e1e4e8"
    readonly property color text: "#1f2328"
    readonly property color muted: "#6a737d"
    readonly property color accent: "#d9531e"
    readonly property color accentSoft: "#fbe9e1"
    readonly property color danger: "#c62828"
    readonly property color ok: "#2e7d32"
    readonly property color warn: "#ef9a00"
    readonly property int gap: 12

    // A stable colour per handle, for avatars.
    function hue(handle) {
        var h = 0
        for (var i = 0; i < handle.length; i++)
            h = (h * 31 + handle.charCodeAt(i)) % 360
        return Qt.hsla(h / 360, 0.55, 0.55, 1)
    }

    // For rich-text labels: user text must never be read as markup.
    function esc(s) {
        return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    }
}
