// Write a bark: a live count of the characters left (as the server counts them); an error is shown under
// the box and the text stays until the server has taken it. Ctrl+Enter posts.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    implicitHeight: column.implicitHeight + 24
    radius: 10
    color: Theme.card
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 12
        spacing: 6

        RowLayout {
            spacing: 10
            Avatar {
                handle: session.handle
                name: session.me.display_name || session.handle
                Layout.alignment: Qt.AlignTop
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(Math.max(area.implicitHeight, 64), 160)
                TextArea {
                    id: area
                    objectName: "composeText"
                    placeholderText: "What's happening?"
                    wrapMode: TextEdit.Wrap
                    selectByMouse: true
                    font.pixelSize: 15
                    onTextChanged: if (compose.text !== text) compose.text = text
                    Keys.onPressed: (event) => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && (event.modifiers & Qt.ControlModifier)) {
                            compose.post()
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

        RowLayout {
            Layout.fillWidth: true
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
                objectName: "composeButton"
                text: compose.loading ? "Barking…" : "Bark"
                highlighted: true
                enabled: compose.canPost
                onClicked: compose.post()
            }
        }
    }
}
