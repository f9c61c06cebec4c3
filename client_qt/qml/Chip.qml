// A small rounded button (reactions, rebark); `active` when it is mine.
import QtQuick
import QtQuick.Controls

AbstractButton {
    id: chip
    property bool active: false
    property string tip: ""
    implicitWidth: label.implicitWidth + 20
    implicitHeight: 28
    hoverEnabled: true
    ToolTip.visible: hovered && tip !== ""
    ToolTip.text: tip
    ToolTip.delay: 600
    background: Rectangle {
        radius: 14
        color: chip.active ? Theme.accentSoft : (chip.hovered ? Theme.hover : "transparent")
        border.color: chip.active ? Theme.accent : Theme.border
    }
    contentItem: Label {
        id: label
        text: chip.text
        color: chip.active ? Theme.accent : Theme.muted
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        font.pixelSize: 13
    }
}
