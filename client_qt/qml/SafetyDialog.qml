// The confirmation before a block or a mute (from a profile or a bark's menu): what it does, for a mute how
// long, and the server's refusal if any. On success it closes and a notice says what was done.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "safetyDialog"
    readonly property bool blocking: safety.askKind === "block"
    property int seconds: 0  // the mute's duration chosen; 0: until I unmute
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(520, parent.width - 80)
    modal: true
    title: (blocking ? "Block @" : "Mute @") + safety.askHandle + "?"
    Connections {
        target: safety
        function onDialogRequested() { dialog.seconds = safety.durations[0].seconds; dialog.open() }
        function onDone() { dialog.close() }
    }
    Connections {
        target: session
        function onEnded() { dialog.close() }
    }
    contentItem: ColumnLayout {
        spacing: 10
        Label {
            objectName: "safetyWhat"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: dialog.blocking
                ? "Follows between you end both ways, and so do your reactions to and rebarks of each other's "
                  + "barks. @" + safety.askHandle + " can't see your barks or follow, reply to, mention, react to "
                  + "or rebark you, and you won't see theirs. They aren't notified, but your profile shows "
                  + "them as unavailable. You can unblock them in Settings."
                : "You won't see @" + safety.askHandle + "'s barks, their rebarks or notifications from them "
                  + "(their profile still shows their barks). They aren't told, and can still follow you and "
                  + "see your barks."
        }
        Label { visible: !dialog.blocking; text: "For how long?"; color: Theme.muted }
        ColumnLayout {
            visible: !dialog.blocking
            spacing: 0
            Repeater {
                model: safety.durations
                delegate: RadioButton {
                    required property var modelData
                    objectName: "muteFor_" + modelData.seconds
                    FocusRing { shown: parent.visualFocus; radius: 8 }
                    text: modelData.label
                    checked: dialog.seconds === modelData.seconds
                    onClicked: dialog.seconds = modelData.seconds
                }
            }
        }
        Label {
            objectName: "safetyError"
            Layout.fillWidth: true
            visible: text !== ""
            text: safety.error
            textFormat: Text.PlainText
            color: Theme.danger
            wrapMode: Text.Wrap
        }
    }
    footer: DialogButtonBox {
        Button {
            objectName: "safetyConfirm"
            FocusRing { shown: parent.visualFocus; radius: 8 }
            text: safety.sending ? "…" : (dialog.blocking ? "Block" : "Mute")
            enabled: !safety.sending
            DialogButtonBox.buttonRole: DialogButtonBox.ApplyRole
            onClicked: safety.confirm(dialog.blocking ? 0 : dialog.seconds)
        }
        Button { objectName: "safetyCancel"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
                 FocusRing { shown: parent.visualFocus; radius: 8 } }
    }
}
