// The editor of an attached image's description (alt text): what the picture shows, for people who cannot see
// it. Several lines, a count of the characters left (as the server counts them), Save (also Ctrl+Enter) and
// Cancel (also Esc). Tab and Shift+Tab move between the text and the buttons (they never insert a tab).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "altEditor"
    property int key: -1  // the attachment described
    property string thumbnailUrl: ""
    readonly property int remaining: compose.descriptionLimit - compose.descriptionLength(area.text)
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(560, parent.width - 40)
    modal: true
    focus: true
    title: "Describe this image"
    closePolicy: Popup.CloseOnEscape

    // Open for one attachment (a row of compose.attachments).
    function edit(attachment) {
        key = attachment.key
        thumbnailUrl = attachment.thumbnailUrl
        area.text = attachment.description
        open()
    }
    function save() {
        if (remaining < 0) return
        compose.describe(key, area.text)
        close()
    }
    onOpened: {
        area.forceActiveFocus()
        area.cursorPosition = area.length
    }

    contentItem: ColumnLayout {
        spacing: 8
        RowLayout {
            spacing: 12
            Image {
                objectName: "altEditorThumb"
                visible: dialog.thumbnailUrl !== ""
                source: dialog.thumbnailUrl !== "" ? session.mediaUrl(dialog.thumbnailUrl) : ""
                Layout.preferredWidth: 96
                Layout.preferredHeight: 96
                Layout.alignment: Qt.AlignTop
                fillMode: Image.PreserveAspectFit
                asynchronous: true
                sourceSize: Qt.size(192, 192)
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: 140
                TextArea {
                    id: area
                    objectName: "altEditorText"
                    placeholderText: "What does the picture show? Describe it for people who can't see it."
                    textFormat: TextEdit.PlainText
                    wrapMode: TextEdit.Wrap
                    selectByMouse: true
                    Accessible.name: "Image description"
                    Keys.onPressed: (event) => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && (event.modifiers & Qt.ControlModifier)) {
                            dialog.save()
                            event.accepted = true
                        } else if (event.key === Qt.Key_Tab || event.key === Qt.Key_Backtab) {
                            var forward = event.key === Qt.Key_Tab && !(event.modifiers & Qt.ShiftModifier)
                            var next = forward ? saveButton : cancelButton
                            next.forceActiveFocus(forward ? Qt.TabFocusReason : Qt.BacktabFocusReason)
                            event.accepted = true
                        }
                    }
                }
            }
        }
        Label {
            objectName: "altEditorCounter"
            Layout.alignment: Qt.AlignRight
            text: dialog.remaining < 0 ? (-dialog.remaining) + " characters too many" : dialog.remaining + " left"
            color: dialog.remaining < 0 ? Theme.danger : Theme.muted
            font.bold: dialog.remaining < 0
        }
    }

    footer: RowLayout {
        spacing: 8
        Item { Layout.fillWidth: true }
        ActionButton {
            id: cancelButton
            objectName: "altEditorCancel"
            text: "Cancel"
            onClicked: dialog.close()
            Layout.bottomMargin: 12
        }
        ActionButton {
            id: saveButton
            objectName: "altEditorSave"
            text: "Save"
            highlighted: true
            enabled: dialog.remaining >= 0
            onClicked: dialog.save()
            Layout.rightMargin: 12
            Layout.bottomMargin: 12
        }
    }
}
