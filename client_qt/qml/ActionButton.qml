// A button; `highlighted` makes it the filled, accent-coloured main action.
import QtQuick
import QtQuick.Controls

Button {
    id: button
    font.pixelSize: 14
    padding: 8
    leftPadding: 16
    rightPadding: 16
    FocusRing { shown: button.visualFocus; radius: 20 }
    background: Rectangle {
        implicitWidth: 80
        implicitHeight: 34
        radius: 17
        color: !button.enabled ? Theme.disabledFill
             : button.highlighted ? (button.down ? Qt.darker(Theme.accent, 1.2) : Theme.accent)
             : (button.down ? Theme.pressed : (button.hovered ? Theme.hover : Theme.card))
        border.color: button.highlighted && button.enabled ? "transparent" : Theme.border
    }
    contentItem: Text {
        text: button.text
        font: button.font
        color: !button.enabled ? Theme.muted : (button.highlighted ? Theme.textOnAccent : Theme.text)
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
}
