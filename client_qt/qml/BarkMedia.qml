// A bark's images: thumbnails in a grid (one large, or two columns), each opening the full-size viewer at that
// image (a click, or Space / Enter with the keyboard). An image's description (alt text) is its accessible name,
// and an ALT badge on it shows the description. Animated GIFs are marked.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

GridLayout {
    id: grid
    property var media: []
    property bool tabStop: true  // the thumbnails and badges are Tab stops (a bark's: only the current bark's)
    objectName: "barkMedia"
    visible: media.length > 0
    columns: media.length === 1 ? 1 : 2
    columnSpacing: 4
    rowSpacing: 4

    Repeater {
        model: grid.media
        delegate: AbstractButton {
            id: frame
            required property var modelData
            required property int index
            objectName: "mediaThumbFrame_" + index
            Layout.fillWidth: true
            Layout.preferredHeight: grid.media.length === 1 ? 280 : 150
            focusPolicy: grid.tabStop ? Qt.StrongFocus : Qt.NoFocus
            Accessible.role: Accessible.Graphic
            Accessible.name: modelData.description !== "" ? modelData.description
                             : "Image " + (index + 1) + " of " + grid.media.length + ", no description"
            onClicked: viewer.open(grid.media, index)
            Keys.onReturnPressed: clicked()  // as Space does (Enter elsewhere on the bark opens its thread)
            Keys.onEnterPressed: clicked()
            FocusRing { shown: frame.visualFocus; radius: 9 }
            background: Rectangle {
                color: Theme.background
                border.color: Theme.border
                radius: 6
            }
            contentItem: Item {
                clip: true
                Image {
                    id: thumb
                    objectName: "mediaThumb"
                    readonly property int loadStatus: status  // for tests: PySide can't read the enum
                    anchors.fill: parent
                    anchors.margins: 1
                    source: session.mediaUrl(frame.modelData.thumbnailUrl)
                    asynchronous: true
                    fillMode: Image.PreserveAspectCrop
                    sourceSize.width: 400
                    sourceSize.height: 400
                    HoverHandler { cursorShape: Qt.PointingHandCursor }
                }
                Label {
                    anchors.centerIn: parent
                    visible: thumb.status === Image.Error
                    text: "Image unavailable"
                    color: Theme.muted
                }
                Label {
                    visible: frame.modelData.animated
                    anchors.left: parent.left
                    anchors.bottom: parent.bottom
                    anchors.margins: 6
                    text: " GIF "
                    color: Theme.textOnMedia
                    font.bold: true
                    font.pixelSize: 11
                    background: Rectangle { color: Theme.mediaBadge; radius: 3 }
                }
                AltBadge {
                    visible: frame.modelData.description !== ""
                    description: frame.modelData.description
                    tabStop: grid.tabStop
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    anchors.margins: 6
                }
            }
        }
    }
}
