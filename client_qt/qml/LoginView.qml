// Log in or sign up, on a server of your choice (remembered with the session).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    property bool signingUp: false

    function takeFocus() { handle.forceActiveFocus(Qt.OtherFocusReason) }

    function submit() {
        if (signingUp)
            session.signUp(server.text, handle.text, password.text, displayName.text, invite.text)
        else
            session.logIn(server.text, handle.text, password.text)
    }

    // Secrets leave the form once they have been used: in, held for a new password, or out. Otherwise the
    // next person at the machine presses "Log in" after a log-out and is back in the last session.
    function forgetSecrets() {
        password.text = ""
        invite.text = ""
    }
    Connections {
        target: session
        function onStarted() { root.forgetSecrets() }
        function onHeld() { root.forgetSecrets() }
        function onEnded() { root.forgetSecrets() }
    }

    Rectangle {
        anchors.centerIn: parent
        width: 420
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
                text: "🐶 Barker"
                font.pixelSize: 30
                font.bold: true
                color: Theme.accent
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                text: root.signingUp ? "Create your account" : "Log in to your account"
                color: Theme.muted
                Layout.alignment: Qt.AlignHCenter
                Layout.bottomMargin: 8
            }
            Label { text: "Server"; color: Theme.muted }
            Field {
                id: server
                objectName: "loginServer"
                Layout.fillWidth: true
                text: session.serverUrl
                selectByMouse: true
            }
            Label { text: "Handle"; color: Theme.muted }
            Field {
                id: handle
                objectName: "loginHandle"
                Layout.fillWidth: true
                placeholderText: "your_handle"
                selectByMouse: true
                onAccepted: password.forceActiveFocus()
            }
            Label { text: "Display name (optional)"; color: Theme.muted; visible: root.signingUp }
            Field {
                id: displayName
                objectName: "loginDisplayName"
                Layout.fillWidth: true
                visible: root.signingUp
                selectByMouse: true
            }
            Label { text: "Password"; color: Theme.muted }
            Field {
                id: password
                objectName: "loginPassword"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: root.signingUp ? "at least 8 characters" : ""
                onAccepted: root.submit()
            }
            Label { text: "Invite code (optional)"; color: Theme.muted; visible: root.signingUp }
            Field {
                id: invite
                objectName: "loginInvite"
                Layout.fillWidth: true
                visible: root.signingUp
                placeholderText: "only if this server asks for one"
                selectByMouse: true
                onAccepted: root.submit()
            }
            Label {
                objectName: "loginInfo"
                Layout.fillWidth: true
                visible: text !== ""
                text: session.info
                color: Theme.ok
                wrapMode: Text.Wrap
            }
            Label {
                objectName: "loginError"
                Layout.fillWidth: true
                visible: text !== ""
                text: session.error
                color: Theme.danger
                wrapMode: Text.Wrap
            }
            ActionButton {
                objectName: "loginButton"
                Layout.fillWidth: true
                Layout.topMargin: 6
                text: session.busy ? "Please wait…" : (root.signingUp ? "Sign up" : "Log in")
                enabled: !session.busy && handle.text !== "" && password.text !== ""
                highlighted: true
                onClicked: root.submit()
            }
            Button {
                objectName: "signupToggle"
                FocusRing { shown: parent.visualFocus; radius: 8 }
                Layout.fillWidth: true
                flat: true
                text: root.signingUp ? "I have an account: log in" : "New here? Create an account"
                onClicked: root.signingUp = !root.signingUp
            }
        }
    }
}
