// A small rounded button (reactions, rebark); `active` when it is mine.
import QtQuick
import QtQuick.Controls

AbstractButton {
    id: chip
    property bool active: false
    property string tip: ""
    implicitWidth: label.implicitWidth + 20
    implicitHeight: 26
    hoverEnabled: true
    // In the Tab chain. A bark's chips are only in the list's current bark; the others take no focus, not even
    // from a click (it would give the list the keyboard and ring its current bark, not the one clicked).
    property bool tabStop: true
    focusPolicy: tabStop ? Qt.StrongFocus : Qt.NoFocus
    FocusRing { shown: chip.visualFocus; radius: chip.height / 2 + 3 }
    ToolTip.visible: hovered && tip !== ""
    ToolTip.text: tip
    ToolTip.delay: 600
    background: Rectangle {
        radius: height / 2
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
