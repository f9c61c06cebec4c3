// My profile's form: my picture (change: pick an image, uploaded and cropped square; remove), display name
// and bio; the password behind a button.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

ColumnLayout {
    spacing: 6
    property bool passwordOpen: false

    // The form shows what the server holds when my profile is loaded or saved, and only then: a refused save
    // keeps what I typed, to be corrected.
    Connections {
        target: profile
        function onUserLoaded() {
            nameField.text = profile.user.display_name || ""
            bioField.text = profile.user.bio || ""
        }
    }

    // Nothing of one session's passwords stays in the form for the next user.
    Connections {
        target: session
        function onEnded() {
            oldPassword.text = ""; newPassword.text = ""; repeatPassword.text = ""
            passwordOpen = false
        }
    }

    FileDialog {
        id: avatarPicker
        objectName: "avatarPicker"
        title: "Choose a profile picture"
        nameFilters: compose.imageFilters
        onAccepted: profile.setAvatar(selectedFile.toString())
    }

    GridLayout {
        columns: 2
        columnSpacing: 10
        Layout.fillWidth: true
        Label { text: "Picture"; color: Theme.muted }
        RowLayout {
            Button {
                objectName: "changeAvatar"
                FocusRing { shown: parent.visualFocus; radius: 8 }
                text: "Change picture…"
                enabled: !profile.loading
                onClicked: avatarPicker.open()
            }
            Button {
                objectName: "removeAvatar"
                FocusRing { shown: parent.visualFocus; radius: 8 }
                text: "Remove picture"
                flat: true
                visible: !!profile.user.avatar_url
                enabled: !profile.loading
                onClicked: profile.removeAvatar()
            }
        }
        Label { text: "Display name"; color: Theme.muted }
        Field { id: nameField; objectName: "editName"; Layout.fillWidth: true; selectByMouse: true }
        Label { text: "Bio"; color: Theme.muted; Layout.alignment: Qt.AlignTop }
        TextArea {
            id: bioField
            objectName: "editBio"
            Layout.fillWidth: true
            wrapMode: TextEdit.Wrap
            selectByMouse: true
            placeholderText: "A few words about you"
            // A TextArea takes Tab as text (a trap for the keyboard): hand it to the focus chain, as fields do.
            Keys.onTabPressed: nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
            Keys.onBacktabPressed: nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
        }
    }
    RowLayout {
        ActionButton {
            objectName: "saveProfile"
            text: "Save profile"
            highlighted: true
            enabled: !profile.loading
            onClicked: profile.saveProfile(nameField.text, bioField.text)
        }
        Button {
            FocusRing { shown: parent.visualFocus; radius: 8 }
            text: passwordOpen ? "Cancel" : "Change password…"
            flat: true
            onClicked: passwordOpen = !passwordOpen
        }
    }
    GridLayout {
        visible: passwordOpen
        columns: 2
        columnSpacing: 10
        Layout.fillWidth: true
        Label { text: "Current password"; color: Theme.muted }
        Field { id: oldPassword; objectName: "oldPassword"; echoMode: TextInput.Password; Layout.fillWidth: true }
        Label { text: "New password"; color: Theme.muted }
        Field { id: newPassword; objectName: "newPassword"; echoMode: TextInput.Password; Layout.fillWidth: true }
        Label { text: "New password again"; color: Theme.muted }
        Field { id: repeatPassword; objectName: "repeatPassword"; echoMode: TextInput.Password; Layout.fillWidth: true }
        Item {}
        ActionButton {
            objectName: "changePassword"
            text: "Change password"
            enabled: oldPassword.text !== "" && newPassword.text !== ""
            onClicked: profile.changePassword(oldPassword.text, newPassword.text, repeatPassword.text)
        }
    }
}
