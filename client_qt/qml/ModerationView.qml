// Moderators and admins: the open reports, newest first — who reported whom, why, their words and the reported
// barks as text. Each can be resolved or dismissed with a note the reporter sees, a reported bark deleted
// (after a confirmation) and the reported account suspended (with a reason, after a confirmation). Any account
// can be looked up by handle, its state shown whatever it is, and suspended or unsuspended. The queue reloads
// after every action.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: root
    spacing: 8

    RowLayout {
        Layout.fillWidth: true
        Layout.margins: Theme.gap
        Label { text: "Open reports"; font.bold: true; font.pixelSize: 18; Layout.fillWidth: true }
        ActionButton { objectName: "moderationRefresh"; text: "Refresh"; onClicked: moderation.load() }
    }
    Label {
        objectName: "moderationStatus"
        Layout.leftMargin: Theme.gap
        Layout.fillWidth: true
        visible: text !== ""
        text: moderation.error !== "" ? moderation.error : moderation.message
        color: moderation.error !== "" ? Theme.danger : Theme.ok
        wrapMode: Text.Wrap
    }
    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: Theme.gap
        Layout.rightMargin: Theme.gap
        Field {
            id: lookupHandle
            objectName: "accountLookupHandle"
            Layout.fillWidth: true
            placeholderText: "Look up an account by handle"
            onAccepted: moderation.lookup(text)
        }
        ActionButton {
            objectName: "accountLookup"
            text: "Look up"
            enabled: lookupHandle.text.trim() !== ""
            onClicked: moderation.lookup(lookupHandle.text)
        }
    }
    Rectangle {
        objectName: "lookedUpAccount"
        Layout.fillWidth: true
        Layout.leftMargin: Theme.gap
        Layout.rightMargin: Theme.gap
        visible: moderation.account.handle !== undefined
        implicitHeight: accountRow.implicitHeight + 24
        radius: 10
        color: Theme.card
        border.color: moderation.account.state === "suspended" ? Theme.danger : Theme.border
        RowLayout {
            id: accountRow
            anchors.fill: parent
            anchors.margins: 12
            Label {
                objectName: "lookedUpSummary"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                property var account: moderation.account
                text: account.handle === undefined ? ""
                      : "@" + account.handle + " (" + account.display_name + ") · " + account.role + " · "
                        + account.state + " · " + account.barks_count + " barks"
            }
            ActionButton {
                objectName: "suspendAccount"
                visible: moderation.account.state === "active"
                text: "Suspend…"
                onClicked: suspendDialog.ask(moderation.account.handle)
            }
            ActionButton {
                objectName: "unsuspendAccount"
                visible: moderation.account.state === "suspended"
                text: "Unsuspend"
                onClicked: moderation.unsuspend(moderation.account.handle)
            }
        }
    }
    Label {
        objectName: "moderationEmpty"
        Layout.leftMargin: Theme.gap
        visible: !moderation.loading && moderation.queue.length === 0 && moderation.error === ""
        text: "No open reports."
        color: Theme.muted
    }

    ListView {
        objectName: "reportQueue"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 8
        model: moderation.queue
        delegate: Rectangle {
            id: card
            required property var modelData
            objectName: "report_" + modelData.id
            width: ListView.view.width - 2 * Theme.gap
            x: Theme.gap
            implicitHeight: body.implicitHeight + 24
            radius: 10
            color: Theme.card
            border.color: Theme.border
            ColumnLayout {
                id: body
                anchors.fill: parent
                anchors.margins: 12
                spacing: 6
                Label {
                    objectName: "reportSummary"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                    text: "@" + card.modelData.reporter + " reported @" + card.modelData.handle
                          + " for " + card.modelData.reason
                    font.bold: true
                }
                Label {
                    objectName: "reportWords"
                    Layout.fillWidth: true
                    visible: !!card.modelData.text
                    text: card.modelData.text || ""
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                }
                Repeater {
                    model: card.modelData.barks
                    delegate: RowLayout {
                        required property var modelData
                        objectName: "reportedBark_" + modelData.id
                        Layout.fillWidth: true
                        Label {
                            objectName: "reportedBarkText"
                            Layout.fillWidth: true
                            text: modelData.deleted ? "(deleted)" : "“" + modelData.text + "”"
                            textFormat: Text.PlainText
                            wrapMode: Text.Wrap
                            color: modelData.deleted ? Theme.muted : Theme.text
                        }
                        Chip {
                            objectName: "deleteReportedBark"
                            visible: !modelData.deleted
                            text: "Delete bark"
                            tip: "Delete this bark for everyone"
                            onClicked: confirm.askDeleteReported(modelData.id)
                        }
                    }
                }
                TextField {
                    id: note
                    objectName: "reportNote"
                    Layout.fillWidth: true
                    placeholderText: "A note for the reporter (optional)"
                }
                RowLayout {
                    ActionButton {
                        objectName: "suspendReportedUser"
                        text: "Suspend @" + card.modelData.handle + "…"
                        onClicked: suspendDialog.ask(card.modelData.handle)
                    }
                    ActionButton {
                        objectName: "resolveReport"
                        text: "Resolve"
                        highlighted: true
                        onClicked: moderation.close(card.modelData.id, "resolved", note.text)
                    }
                    ActionButton {
                        objectName: "dismissReport"
                        text: "Dismiss"
                        onClicked: moderation.close(card.modelData.id, "dismissed", note.text)
                    }
                }
            }
        }
    }

    Dialog {
        id: suspendDialog
        objectName: "suspendDialog"
        property string handle: ""
        function ask(who) { handle = who; reason.text = ""; open(); reason.forceActiveFocus() }
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: "Suspend @" + handle + "?"
        width: Math.min(520, parent.width - 80)
        contentItem: ColumnLayout {
            spacing: 8
            Label {
                objectName: "suspendExplanation"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                text: "@" + suspendDialog.handle + " cannot log in, every session of theirs ends now, and nobody "
                      + "but the moderators sees their profile and barks until they are unsuspended. The reason "
                      + "goes to the audit log."
            }
            Field {
                id: reason
                objectName: "suspendReason"
                Layout.fillWidth: true
                placeholderText: "Why (required)"
                maximumLength: 500
            }
        }
        footer: DialogButtonBox {
            Button {
                objectName: "suspendConfirm"
                FocusRing { shown: parent.visualFocus; radius: 8 }
                text: "Suspend"
                enabled: reason.text.trim() !== ""
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button { objectName: "suspendCancel"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
                     FocusRing { shown: parent.visualFocus; radius: 8 } }
        }
        onAccepted: moderation.suspend(handle, reason.text)
    }
}
