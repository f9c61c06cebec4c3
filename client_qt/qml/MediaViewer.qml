// The full-size image viewer over the window: one bark's images, one at a time, with its description (alt
// text, plain text) under it. ‹ › or the Left / Right keys go through them. The mouse wheel, a pinch, Ctrl+= /
// Ctrl+- (or + / -) zoom; a drag pans the zoomed image; 0 or a double-click fits it again (a double-click on a
// fitted image zooms in there). Esc, × or a click beside the image closes.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Popup {
    id: popup
    objectName: "mediaViewer"
    readonly property real maxZoom: 8
    readonly property real zoomStep: 1.25
    property real zoom: 1  // 1: the whole image fits; more: magnified (drag to pan)
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: parent.width
    height: parent.height
    modal: true
    focus: true
    padding: 16
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { color: Theme.scrim }
    onClosed: viewer.close()
    onOpened: keys.forceActiveFocus()

    // Zoom to `value` (1 … maxZoom) keeping the point (x, y) of the view where it is (the centre by default).
    function zoomTo(value, x, y) {
        var z = Math.max(1, Math.min(maxZoom, value))
        var px = x === undefined ? flick.width / 2 : x
        var py = y === undefined ? flick.height / 2 : y
        var ratio = z / zoom
        var left = (flick.contentX + px) * ratio - px
        var top = (flick.contentY + py) * ratio - py
        zoom = z  // the content's size follows
        flick.contentX = Math.max(0, Math.min(left, flick.contentWidth - flick.width))
        flick.contentY = Math.max(0, Math.min(top, flick.contentHeight - flick.height))
    }
    function fit() { zoomTo(1) }

    Connections {
        target: viewer
        function onChanged() {
            popup.fit()  // each image starts whole
            if (viewer.url !== "") popup.open()
            else popup.close()
        }
    }

    component ScrimButton: AbstractButton {
        id: control
        property string tip: ""
        implicitWidth: 44
        implicitHeight: 44
        font.pixelSize: 24
        hoverEnabled: true
        opacity: enabled ? 1 : 0.35
        // Tab reaches it, a click leaves the keyboard where it was (the arrows and zoom keys keep working); one
        // that becomes disabled (the last image reached) hands the keyboard back to the viewer.
        focusPolicy: Qt.TabFocus
        onEnabledChanged: if (!enabled && popup.opened) keys.forceActiveFocus()
        Accessible.name: tip
        ToolTip.visible: hovered && tip !== ""
        ToolTip.text: tip
        ToolTip.delay: 600
        FocusRing { shown: control.visualFocus; radius: 25 }
        background: Rectangle {
            radius: 22
            color: control.hovered || control.down ? Theme.scrimControlHover : Theme.scrimControl
        }
        contentItem: Label {
            text: control.text
            font: control.font
            color: Theme.textOnScrim
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
    }

    contentItem: Item {
        id: keys
        objectName: "viewerKeys"
        focus: true
        Keys.onPressed: (event) => {
            var zoomIn = event.key === Qt.Key_Plus || event.key === Qt.Key_Equal
            var zoomOut = event.key === Qt.Key_Minus || event.key === Qt.Key_Underscore
            if (event.key === Qt.Key_Left) viewer.previous()
            else if (event.key === Qt.Key_Right) viewer.next()
            else if (zoomIn) popup.zoomTo(popup.zoom * popup.zoomStep)
            else if (zoomOut) popup.zoomTo(popup.zoom / popup.zoomStep)
            else if (event.key === Qt.Key_0) popup.fit()
            else return
            event.accepted = true
        }

        ColumnLayout {
            anchors.fill: parent
            spacing: 10

            RowLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 12

                ScrimButton {
                    objectName: "viewerPrevious"
                    visible: viewer.count > 1
                    enabled: viewer.hasPrevious
                    text: "‹"
                    tip: "Previous image (←)"
                    onClicked: viewer.previous()
                }

                Flickable {
                    id: flick
                    objectName: "viewerArea"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    contentWidth: width * popup.zoom
                    contentHeight: height * popup.zoom
                    interactive: popup.zoom > 1  // a drag pans only what is larger than the view
                    boundsBehavior: Flickable.StopAtBounds

                    Image {
                        id: full
                        objectName: "viewerImage"
                        readonly property int loadStatus: status  // for tests: PySide can't read the enum
                        width: flick.contentWidth
                        height: flick.contentHeight
                        source: viewer.url
                        asynchronous: true
                        fillMode: Image.PreserveAspectFit
                        mipmap: true
                        Accessible.role: Accessible.Graphic
                        Accessible.name: viewer.description !== "" ? viewer.description : "Image, no description"
                    }

                    WheelHandler {
                        objectName: "viewerWheel"
                        target: null
                        onWheel: (event) => popup.zoomTo(popup.zoom * Math.pow(popup.zoomStep, event.angleDelta.y / 120),
                                                         point.position.x, point.position.y)
                    }
                    PinchHandler {
                        property real startZoom: 1
                        target: null
                        onActiveChanged: if (active) startZoom = popup.zoom
                        onActiveScaleChanged: popup.zoomTo(startZoom * activeScale, centroid.position.x,
                                                           centroid.position.y)
                    }
                    TapHandler {
                        // A double click zooms or fits, wherever it lands: its first click must not close the
                        // viewer (and its second then open whatever is under the pointer behind it).
                        exclusiveSignals: TapHandler.SingleTap | TapHandler.DoubleTap
                        onDoubleTapped: (point) => {
                            if (popup.zoom > 1) popup.fit()
                            else popup.zoomTo(2.5, point.position.x, point.position.y)
                        }
                        onSingleTapped: (point) => {
                            // Beside the image (it is fitted inside its area, centred): close.
                            var x = point.position.x + flick.contentX - (full.width - full.paintedWidth) / 2
                            var y = point.position.y + flick.contentY - (full.height - full.paintedHeight) / 2
                            if (x < 0 || y < 0 || x > full.paintedWidth || y > full.paintedHeight) viewer.close()
                        }
                    }
                    BusyIndicator {
                        anchors.centerIn: parent
                        running: full.status === Image.Loading
                    }
                    Label {
                        anchors.centerIn: parent
                        visible: full.status === Image.Error
                        text: "The image could not be loaded."
                        color: Theme.textOnScrim
                    }
                }

                ScrimButton {
                    objectName: "viewerNext"
                    visible: viewer.count > 1
                    enabled: viewer.hasNext
                    text: "›"
                    tip: "Next image (→)"
                    onClicked: viewer.next()
                }
            }

            // The description, all of it (up to 1,500 characters: it scrolls past a few lines).
            ScrollView {
                objectName: "viewerDescriptionArea"
                visible: viewer.description !== ""
                Layout.fillWidth: true
                Layout.maximumWidth: 900
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredHeight: Math.min(description.implicitHeight, popup.height / 5)
                contentWidth: availableWidth
                Label {
                    id: description
                    objectName: "viewerDescription"
                    readonly property int format: textFormat  // for tests: PySide can't read the enum
                    width: parent.width
                    text: viewer.description
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    color: Theme.textOnScrim
                    font.pixelSize: 14
                }
            }

            Label {
                objectName: "viewerPosition"
                visible: viewer.count > 1
                Layout.alignment: Qt.AlignHCenter
                text: (viewer.index + 1) + " / " + viewer.count
                color: Theme.textOnScrim
            }
        }

        ScrimButton {
            objectName: "viewerClose"
            anchors.top: parent.top
            anchors.right: parent.right
            text: "×"
            tip: "Close (Esc)"
            onClicked: viewer.close()
        }
    }
}
