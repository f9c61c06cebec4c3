// Write a bark: a live count of the characters left (as the server counts them) and up to four images,
// each uploaded as soon as it is picked (a chip: uploading, its thumbnail, or what went wrong; × removes it;
// "+ ALT" or its ALT badge opens the editor of its description, AltTextEditor.qml).
// An error is shown under the box; the text and images stay until the server has taken them. Ctrl+Enter posts;
// Tab and Shift+Tab leave the box (they never insert a tab); Esc leaves it too, so the shortcuts work again.
// In reply mode a bar above the box shows the bark replied to (author and an excerpt); × cancels the reply.
// Not in use (empty, no images, not a reply, the keyboard elsewhere) it is one line, "What's happening?": it
// expands (counter, images, the button) when it takes the keyboard or has something in it.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

Rectangle {
    id: box
    objectName: "composeBox"
    readonly property bool expanded: area.activeFocus || attachButton.activeFocus || postButton.activeFocus
                                     || imagePicker.visible || compose.text !== "" || compose.attachments.length > 0
                                     || compose.replying || compose.error !== ""
    implicitHeight: column.implicitHeight + 24

    function focusText() { area.forceActiveFocus(Qt.ShortcutFocusReason) }
    radius: 10
    color: Theme.card
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 12
        spacing: 6

        Rectangle {
            objectName: "replyContext"
            visible: compose.replying
            Layout.fillWidth: true
            implicitHeight: replyRow.implicitHeight + 12
            radius: 6
            color: Theme.background
            border.color: Theme.border
            RowLayout {
                id: replyRow
                anchors.fill: parent
                anchors.margins: 6
                anchors.leftMargin: 10
                Label {
                    objectName: "replyContextText"
                    text: "↩ Replying to <b>@" + Theme.esc(compose.replyHandle) + "</b>: "
                          + Theme.esc(compose.replyExcerpt)
                    textFormat: Text.StyledText
                    color: Theme.muted
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ToolButton {
                    objectName: "cancelReply"
                    FocusRing { shown: parent.visualFocus; radius: 8 }
                    text: "×"
                    font.pixelSize: 16
                    ToolTip.visible: hovered
                    ToolTip.text: "Cancel the reply"
                    onClicked: compose.cancelReply()
                }
            }
        }

        RowLayout {
            spacing: 10
            Avatar {
                handle: session.handle
                name: session.me.display_name || session.handle
                source: session.me.avatar_thumbnail_url || ""
                Layout.alignment: Qt.AlignTop
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: box.expanded ? Math.min(Math.max(area.implicitHeight, 64), 160)
                                                     : area.implicitHeight
                Layout.alignment: Qt.AlignVCenter
                TextArea {
                    id: area
                    objectName: "composeText"
                    placeholderText: compose.replying ? "Write your reply" : "What's happening?"
                    wrapMode: TextEdit.Wrap
                    selectByMouse: true
                    font.pixelSize: 15
                    onTextChanged: if (compose.text !== text) compose.text = text
                    Keys.onPressed: (event) => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && (event.modifiers & Qt.ControlModifier)) {
                            compose.post()
                            event.accepted = true
                        } else if (event.key === Qt.Key_Tab || event.key === Qt.Key_Backtab) {
                            // A TextArea takes Tab as text: hand it to the focus chain as every other field does.
                            var forward = event.key === Qt.Key_Tab && !(event.modifiers & Qt.ShiftModifier)
                            area.nextItemInFocusChain(forward).forceActiveFocus(
                                forward ? Qt.TabFocusReason : Qt.BacktabFocusReason)
                            event.accepted = true
                        } else if (event.key === Qt.Key_Escape) {
                            area.focus = false
                            event.accepted = true
                        }
                    }
                    Connections {
                        target: compose
                        function onTextChanged() { if (area.text !== compose.text) area.text = compose.text }
                    }
                }
            }
        }

        Flow {
            objectName: "composeAttachments"
            visible: compose.attachments.length > 0
            Layout.fillWidth: true
            Layout.leftMargin: 50
            spacing: 8
            Repeater {
                model: compose.attachments
                delegate: Rectangle {
                    id: chip
                    required property var modelData
                    required property int index
                    objectName: "attachment_" + index
                    readonly property string state_: modelData.state
                    width: 76
                    height: 76
                    radius: 8
                    color: state_ === "error" ? Theme.dangerSoft : Theme.background
                    border.color: state_ === "error" ? Theme.danger : Theme.border
                    clip: true
                    Image {
                        objectName: "attachmentThumb"
                        readonly property int loadStatus: status  // for tests: PySide can't read the enum
                        anchors.fill: parent
                        anchors.margins: 1
                        visible: chip.state_ === "ready"
                        source: chip.state_ === "ready" ? session.mediaUrl(chip.modelData.thumbnailUrl) : ""
                        asynchronous: true
                        fillMode: Image.PreserveAspectCrop
                        sourceSize: Qt.size(152, 152)
                    }
                    BusyIndicator {
                        anchors.centerIn: parent
                        width: 32
                        height: 32
                        running: chip.state_ === "uploading"
                        visible: running
                    }
                    Label {
                        objectName: "attachmentError"
                        anchors.fill: parent
                        anchors.margins: 6
                        visible: chip.state_ === "error"
                        text: "⚠ " + chip.modelData.name
                        color: Theme.danger
                        font.pixelSize: 11
                        wrapMode: Text.WrapAnywhere
                        elide: Text.ElideRight
                        verticalAlignment: Text.AlignVCenter
                        ToolTip.visible: errorHover.hovered
                        ToolTip.text: chip.modelData.error
                        HoverHandler { id: errorHover }
                    }
                    // Its description (alt text): "+ ALT" adds one, the ALT badge shows there is one; both edit it.
                    AbstractButton {
                        id: altButton
                        objectName: "altButton"
                        readonly property bool described: chip.modelData.description !== ""
                        readonly property bool failed: chip.modelData.descriptionError !== ""
                        visible: chip.state_ !== "error"
                        anchors.left: parent.left
                        anchors.bottom: parent.bottom
                        anchors.margins: 3
                        implicitWidth: altLabel.implicitWidth + 8
                        implicitHeight: altLabel.implicitHeight + 4
                        hoverEnabled: true
                        text: (described ? "ALT" : "+ ALT") + (chip.modelData.savingDescription ? "…" : (failed ? " ⚠" : ""))
                        Accessible.name: described ? "Edit the image description" : "Add a description"
                        ToolTip.visible: hovered
                        ToolTip.text: failed ? "The description was not saved: open it and save again"
                                             : (described ? "Edit the description" : "Add a description")
                        ToolTip.delay: 600
                        onClicked: altEditor.edit(chip.modelData)
                        FocusRing { shown: altButton.visualFocus; radius: 5 }
                        background: Rectangle {
                            radius: 3
                            color: altButton.failed ? Theme.danger : (altButton.described ? Theme.accent : Theme.mediaBadge)
                        }
                        contentItem: Label {
                            id: altLabel
                            text: altButton.text
                            color: altButton.failed || altButton.described ? Theme.textOnAccent : Theme.textOnMedia
                            font.bold: true
                            font.pixelSize: 10
                            horizontalAlignment: Text.AlignHCenter
                        }
                    }
                    RoundButton {
                        objectName: "removeAttachment"
                        FocusRing { shown: parent.visualFocus; radius: 8 }
                        anchors.top: parent.top
                        anchors.right: parent.right
                        anchors.margins: 2
                        width: 24
                        height: 24
                        padding: 0
                        text: "×"
                        font.pixelSize: 14
                        onClicked: compose.remove(chip.modelData.key)
                    }
                }
            }
        }

        AltTextEditor { id: altEditor }

        FileDialog {
            id: imagePicker
            objectName: "imagePicker"
            title: "Attach images"
            fileMode: FileDialog.OpenFiles
            nameFilters: compose.imageFilters
            onAccepted: {
                for (var i = 0; i < selectedFiles.length; i++)
                    compose.attach(selectedFiles[i].toString())
            }
        }

        RowLayout {
            visible: box.expanded
            Layout.fillWidth: true
            ToolButton {
                id: attachButton
                objectName: "attachButton"
                text: "🖼"
                font.pixelSize: 18
                enabled: compose.canAttach && !compose.loading
                ToolTip.visible: hovered
                ToolTip.text: "Attach images (up to " + compose.maxMedia + ")"
                ToolTip.delay: 600
                onClicked: imagePicker.open()
                FocusRing { shown: attachButton.visualFocus; radius: 8 }
            }
            Label {
                objectName: "composeError"
                Layout.fillWidth: true
                text: compose.error
                color: Theme.danger
                wrapMode: Text.Wrap
            }
            Label {
                objectName: "composeCounter"
                text: compose.remaining
                font.bold: compose.remaining < 20
                color: compose.remaining < 0 ? Theme.danger : (compose.remaining < 20 ? Theme.warn : Theme.muted)
            }
            ActionButton {
                id: postButton
                objectName: "composeButton"
                text: compose.loading ? "Barking…" : (compose.uploading ? "Uploading…"
                                                                         : (compose.replying ? "Reply" : "Bark"))
                highlighted: true
                enabled: compose.canPost
                onClicked: compose.post()
            }
        }
    }
}
