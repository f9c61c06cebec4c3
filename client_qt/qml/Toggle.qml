// An on/off switch in the theme's colours: a pill-shaped track with a round knob that sits right when on.
// (Fusion's own switch is a square box half filled with the accent, which reads as a progress bar.)
import QtQuick
import QtQuick.Controls

Switch {
    id: control

    indicator: Rectangle {
        implicitWidth: 36
        implicitHeight: 20
        x: control.leftPadding
        y: control.topPadding + (control.availableHeight - height) / 2
        radius: height / 2
        color: control.checked ? Theme.accent : Theme.mid

        Rectangle {
            width: 16
            height: 16
            radius: 8
            y: 2
            x: control.checked ? parent.width - width - 2 : 2
            color: control.checked ? Theme.textOnAccent : Theme.card
            border.color: control.checked ? Theme.accent : Theme.muted
        }
    }

    FocusRing { shown: control.visualFocus }
}
