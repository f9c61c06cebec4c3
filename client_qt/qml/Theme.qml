// Colours and sizes shared by every view: every colour in the QML comes from here. Two sets, light and dark;
// `dark` chooses (the window binds it to the user's choice: light, dark, or the system's colour scheme). The
// window also hands these colours to the Controls' palette, so no control takes the system's colours.
// Text colours meet WCAG AA (4.5:1) on the backgrounds they are drawn on (tests/qt/test_theme_contrast.py).
pragma Singleton
import QtQuick

QtObject {
    property bool dark: false

    readonly property var lightColors: ({
        background: "#f4f5f7",
        card: "#ffffff",
        border: "#e1e4e8",
        text: "#1f2328",
        muted: "#5f6873",
        accent: "#bc420f",
        accentSoft: "#fbe9e1",
        textOnAccent: "#ffffff",       // text on an accent fill
        danger: "#c62828",
        dangerSoft: "#fdecea",
        ok: "#2e7d32",
        warn: "#a86200",
        hover: "#f0f1f3",          // a flat button or row under the pointer
        pressed: "#e8eaed",
        disabledFill: "#e4e6e9",
        disabledText: "#8a929b",
        // The Controls' bevels and fields (Fusion's light shades, as the system's light palette has them)
        control: "#efefef",
        field: "#ffffff",
        light: "#ffffff",
        midlight: "#cacaca",
        mid: "#b8b8b8",
        shade: "#9f9f9f",
        shadow: "#767676",
        toast: "#323232",          // the notice at the bottom, and tool tips
        textOnToast: "#ffffff",
        toastAction: "#ffb48f"
    })

    readonly property var darkColors: ({
        background: "#16181c",
        card: "#1f2226",
        border: "#33383e",
        text: "#e6e8eb",
        muted: "#9aa4ae",
        accent: "#ff8a5c",
        accentSoft: "#3a2419",
        textOnAccent: "#1a1a1a",
        danger: "#ff6b6b",
        dangerSoft: "#3d1f1f",
        ok: "#5cc26a",
        warn: "#e3a33a",
        hover: "#2a2e33",
        pressed: "#33383e",
        disabledFill: "#2a2e33",
        disabledText: "#6b737c",
        control: "#33383e",
        field: "#2a2e33",          // lighter than the card, as a field stands out of a light one
        light: "#3a3f45",
        midlight: "#33383e",
        mid: "#4a5058",
        shade: "#101214",
        shadow: "#000000",
        toast: "#e6e8eb",
        textOnToast: "#1f2328",
        toastAction: "#a83a0c"     // darker than the accent: 4.4:1 on the light toast was short of AA
    })

    readonly property var colors: dark ? darkColors : lightColors

    readonly property color background: colors.background
    readonly property color card: colors.card
    readonly property color border: colors.border
    readonly property color text: colors.text
    readonly property color muted: colors.muted
    readonly property color accent: colors.accent
    readonly property color accentSoft: colors.accentSoft
    readonly property color textOnAccent: colors.textOnAccent
    readonly property color danger: colors.danger
    readonly property color dangerSoft: colors.dangerSoft
    readonly property color ok: colors.ok
    readonly property color warn: colors.warn
    readonly property color hover: colors.hover
    readonly property color pressed: colors.pressed
    readonly property color disabledFill: colors.disabledFill
    readonly property color disabledText: colors.disabledText
    readonly property color control: colors.control
    readonly property color field: colors.field
    readonly property color light: colors.light
    readonly property color midlight: colors.midlight
    readonly property color mid: colors.mid
    readonly property color shade: colors.shade
    readonly property color shadow: colors.shadow
    readonly property color toast: colors.toast
    readonly property color textOnToast: colors.textOnToast
    readonly property color toastAction: colors.toastAction

    // The same in both themes: over photos, and the radar (a night sky of its own).
    readonly property color scrim: "#e6000000"        // behind the full-size image viewer
    readonly property color textOnScrim: "#ffffff"
    readonly property color scrimControl: "#26ffffff"     // a button on the scrim (the viewer's ‹ › ×)
    readonly property color scrimControlHover: "#4dffffff"
    readonly property color mediaBadge: "#99000000"   // a label over a photo
    readonly property color textOnMedia: "#ffffff"
    readonly property color textOnAvatar: "#ffffff"       // the initial on an avatar's colour
    readonly property color radarTop: "#17324d"
    readonly property color radarBottom: "#0d1f30"
    readonly property color radarDot: "#7ee2a8"
    readonly property color radarLabel: "#d6f5e3"
    readonly property color radarLabelBack: "#cc0d1f30"
    readonly property color radarSelf: "#ffffff"
    readonly property color radarRing: "#7378dca0"
    readonly property color radarText: "#cc96e6b4"

    readonly property int gap: 12

    // A stable colour per handle, for avatars: its hue from the handle, darkened where the hue is a bright
    // one (yellows, greens, cyans) until the white initial on it reads at 4.5:1.
    function hue(handle) {
        var h = 0
        for (var i = 0; i < handle.length; i++)
            h = (h * 31 + handle.charCodeAt(i)) % 360
        var c = Qt.hsla(h / 360, 0.55, 0.55, 1)
        for (var l = 0.55; l > 0.2 && luminance(c) > 0.18; l -= 0.02)
            c = Qt.hsla(h / 360, 0.55, l, 1)
        return c
    }

    // WCAG relative luminance of a colour.
    function luminance(c) {
        function channel(v) { return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4) }
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    // For rich-text labels: user text must never be read as markup.
    function esc(s) {
        return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    }
}
