// The "ALT" badge over an image that has a description (alt text). Hovering it shows the description, and so
// does a click (Space or Enter with the keyboard) until the next one, Esc or the keyboard leaving it. The
// description is user text: shown as plain text, never as markup.
import QtQuick
import QtQuick.Controls

AbstractButton {
    id: badge
    property string description: ""
    property bool tabStop: true
    property bool pinned: false  // shown by a click, not only while hovered
    readonly property bool showing: tip.visible
    objectName: "altBadge"
    text: "ALT"
    hoverEnabled: true
    focusPolicy: tabStop ? Qt.StrongFocus : Qt.NoFocus
    implicitWidth: label.implicitWidth + 10
    implicitHeight: label.implicitHeight + 4
    Accessible.name: "Image description: " + description
    onClicked: pinned = !pinned
    onActiveFocusChanged: if (!activeFocus) pinned = false
    onHoveredChanged: place()
    onPinnedChanged: place()
    function place() { if (hovered || pinned) tip.open(); else tip.close() }

    FocusRing { shown: badge.visualFocus; radius: 5 }
    background: Rectangle { color: Theme.mediaBadge; radius: 3 }
    contentItem: Label {
        id: label
        text: badge.text
        color: Theme.textOnMedia
        font.bold: true
        font.pixelSize: 11
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }

    ToolTip {
        id: tip
        objectName: "altText"
        text: badge.description
        delay: 0
        timeout: -1
        width: Math.min(implicitWidth, 360)
        onClosed: badge.pinned = false  // Esc, or a click elsewhere
        contentItem: Label {
            objectName: "altTextLabel"
            readonly property int format: textFormat  // for tests: PySide can't read the enum
            text: tip.text
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.textOnToast
        }
        background: Rectangle { color: Theme.toast; radius: 4 }
    }
}
