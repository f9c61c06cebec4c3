// The forced password change: an admin reset the password, so the server answers nothing else until a new
// one is chosen. Shown instead of the app; log-out is the only other way out. By keyboard: the first field has
// it when the screen shows, Enter (or Tab) goes to the next field, Enter in the last one changes the password.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    readonly property bool ready: oldPassword.text !== "" && newPassword.text !== ""
                                  && newPassword.text === repeatPassword.text

    // The one-time and new passwords do not outlive the hold (changed, or logged out).
    Connections {
        target: session
        function onStarted() { oldPassword.text = ""; newPassword.text = ""; repeatPassword.text = "" }
        function onEnded() { oldPassword.text = ""; newPassword.text = ""; repeatPassword.text = "" }
    }

    function takeFocus() { oldPassword.forceActiveFocus(Qt.OtherFocusReason) }

    function submit() {
        if (ready && !session.busy) session.changePassword(oldPassword.text, newPassword.text)
    }

    Rectangle {
        anchors.centerIn: parent
        width: 440
        height: form.implicitHeight + 64
        radius: 12
        color: Theme.card
        border.color: Theme.border

        ColumnLayout {
            id: form
            anchors.fill: parent
            anchors.margins: 32
            spacing: 10

            Label {
                text: "Choose a new password"
                font.pixelSize: 22
                font.bold: true
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                objectName: "forcedChangeInfo"
                Layout.fillWidth: true
                text: session.info + " Logged in as @" + session.handle + "."
                color: Theme.muted
                wrapMode: Text.Wrap
            }
            Label { text: "Current (one-time) password"; color: Theme.muted }
            Field {
                id: oldPassword
                objectName: "forcedOld"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                onAccepted: newPassword.forceActiveFocus(Qt.TabFocusReason)
            }
            Label { text: "New password"; color: Theme.muted }
            Field {
                id: newPassword
                objectName: "forcedNew"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: "at least 8 characters"
                onAccepted: repeatPassword.forceActiveFocus(Qt.TabFocusReason)
            }
            Label { text: "New password again"; color: Theme.muted }
            Field {
                id: repeatPassword
                objectName: "forcedRepeat"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                onAccepted: root.submit()
            }
            Label {
                objectName: "forcedMismatch"
                visible: repeatPassword.text !== "" && newPassword.text !== repeatPassword.text
                text: "The new passwords differ."
                color: Theme.danger
            }
            Label {
                objectName: "forcedError"
                Layout.fillWidth: true
                visible: text !== ""
                text: session.error
                color: Theme.danger
                wrapMode: Text.Wrap
            }
            ActionButton {
                objectName: "forcedChangeButton"
                Layout.fillWidth: true
                highlighted: true
                text: session.busy ? "Please wait…" : "Change password"
                enabled: root.ready && !session.busy
                onClicked: root.submit()
            }
            Button {
                objectName: "forcedLogout"
                Layout.fillWidth: true
                flat: true
                text: "Log out"
                onClicked: confirm.askLogOut()
                FocusRing { shown: parent.visualFocus }
            }
        }
    }
}
