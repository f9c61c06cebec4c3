// Moderators and admins: the open reports, newest first — who reported whom, why, their words and the reported
// barks as text. Each can be resolved or dismissed with a note the reporter sees, and a reported bark deleted
// (after a confirmation). The queue reloads after every action.
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
                            onClicked: { confirmDelete.barkId = modelData.id; confirmDelete.open() }
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
        id: confirmDelete
        objectName: "confirmDeleteBark"
        property var barkId: null
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: "Delete this bark for everyone?"
        width: Math.min(480, parent.width - 80)
        contentItem: Label { text: "It is removed as if its author had deleted it. This cannot be undone."; wrapMode: Text.Wrap }
        footer: DialogButtonBox {
            Button {
                objectName: "confirmDeleteBarkYes"
                text: "Delete"
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button { objectName: "confirmDeleteBarkNo"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
        }
        onAccepted: moderation.deleteBark(barkId)
    }
}
