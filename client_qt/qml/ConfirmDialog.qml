// The one confirmation before what can't be undone (client_qt/confirm.py asks: delete, unfollow, stop sharing,
// log out): the question, what follows, the action and Cancel. The keyboard starts on Cancel, so a stray Enter
// or Space changes nothing; Tab reaches the action; Enter or Space presses the focused button; Escape cancels.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "confirmDialog"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(460, parent.width - 80)
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape
    title: confirm.title
    Connections {
        target: confirm
        function onAsked() { dialog.open() }
    }
    Connections {
        target: session
        function onEnded() { dialog.close() }
    }
    onOpened: cancelButton.forceActiveFocus(Qt.TabFocusReason)
    onAccepted: confirm.accept()
    onClosed: confirm.cancel()  // after accepted, if at all: nothing is left to cancel then

    component ChoiceButton: ActionButton {
        Keys.onReturnPressed: click()
        Keys.onEnterPressed: click()
    }

    contentItem: Label {
        objectName: "confirmText"
        text: confirm.text
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
    }
    footer: DialogButtonBox {
        ChoiceButton {
            objectName: "confirmAccept"
            text: confirm.confirmText
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        ChoiceButton {
            id: cancelButton
            objectName: "confirmCancel"
            text: "Cancel"
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}
