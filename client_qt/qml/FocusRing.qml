// The keyboard focus ring: an accent outline just outside its parent, shown while `shown` (a control's
// `visualFocus`: focus that came from Tab, Shift+Tab or a shortcut, not from a click).
import QtQuick

Rectangle {
    property bool shown: false
    objectName: "focusRing"
    visible: shown
    anchors.fill: parent
    anchors.margins: -3
    radius: 6
    color: "transparent"
    border.color: Theme.accent
    border.width: 2
    z: 10
}
