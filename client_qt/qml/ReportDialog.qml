// Reporting a user (from their profile) or one of their barks (from its card): a reason, optional words for
// the moderators, and the server's answer (its error shown here; on success a notice confirms it was sent).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "reportDialog"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(520, parent.width - 80)
    modal: true
    title: reports.barkId !== null && reports.barkId !== undefined ? "Report this bark by @" + reports.handle
                                                                   : "Report @" + reports.handle
    Connections {
        target: reports
        function onDialogRequested() { reportText.text = ""; reportReason.currentIndex = 0; dialog.open() }
        function onFiled() { dialog.close(); notices.show(reports.message) }
    }
    Connections {
        target: session
        function onEnded() { dialog.close() }
    }
    contentItem: ColumnLayout {
        spacing: 10
        Label {
            objectName: "reportedBark"
            Layout.fillWidth: true
            visible: text !== ""
            text: reports.barkText
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            maximumLineCount: 4
            elide: Text.ElideRight
            color: Theme.muted
        }
        Label { text: "Why? The moderators see your report; @" + reports.handle + " is not told." ; wrapMode: Text.Wrap
                Layout.fillWidth: true }
        ComboBox {
            id: reportReason
            objectName: "reportReason"
            FocusRing { shown: parent.visualFocus; radius: 8 }
            Layout.fillWidth: true
            model: reports.reasons
        }
        Label { text: "Anything the moderators should know (optional)"; color: Theme.muted }
        TextArea {
            id: reportText
            objectName: "reportText"
            Layout.fillWidth: true
            Layout.preferredHeight: 90
            wrapMode: TextEdit.Wrap
            placeholderText: "Up to 1000 characters"
            // A TextArea takes Tab as text (a trap for the keyboard): hand it to the focus chain, as fields do.
            Keys.onTabPressed: nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
            Keys.onBacktabPressed: nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
        }
        Label {
            objectName: "reportError"
            Layout.fillWidth: true
            visible: text !== ""
            text: reports.error
            color: Theme.danger
            wrapMode: Text.Wrap
        }
    }
    footer: DialogButtonBox {
        Button {
            objectName: "reportSend"
            FocusRing { shown: parent.visualFocus; radius: 8 }
            text: reports.sending ? "Sending…" : "Send report"
            enabled: !reports.sending
            DialogButtonBox.buttonRole: DialogButtonBox.ApplyRole
            onClicked: reports.submit(reportReason.currentText, reportText.text)
        }
        Button { objectName: "reportCancel"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
                 FocusRing { shown: parent.visualFocus; radius: 8 } }
    }
}
