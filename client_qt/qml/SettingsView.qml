// Settings: who I am here (my role), take my data with me (a zip), the accounts I block and mute (each can be
// let go, with Undo in the notice), or leave for good.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

ScrollView {
    id: root
    contentWidth: availableWidth

    component Card: Rectangle {
        default property alias content: inner.data
        Layout.fillWidth: true
        Layout.leftMargin: Theme.gap
        Layout.rightMargin: Theme.gap
        implicitHeight: inner.implicitHeight + 32
        radius: 10
        color: Theme.card
        border.color: Theme.border
        ColumnLayout {
            id: inner
            anchors.fill: parent
            anchors.margins: 16
            spacing: 8
        }
    }


    // The accounts I block or mute (`list`: blocked or muted), a page at a time; each row can be let go.
    component AccountsCard: Card {
        id: accounts
        required property var list
        required property string title
        required property string rowPrefix  // objectName of a row: rowPrefix + handle
        required property string buttonName
        required property string buttonText
        required property string emptyText
        required property var release  // function(handle): unblock or unmute

        Label { text: accounts.title; font.bold: true; font.pixelSize: 16 }
        Label {
            objectName: accounts.rowPrefix + "empty"
            visible: accounts.list.model.count === 0 && !accounts.list.loading
            text: accounts.list.error !== "" ? accounts.list.error : accounts.emptyText
            textFormat: Text.PlainText
            color: accounts.list.error !== "" ? Theme.danger : Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Repeater {
            model: accounts.list.model
            delegate: RowLayout {
                id: account
                required property string handle
                required property string displayName
                required property string avatarUrl
                required property string note
                objectName: accounts.rowPrefix + handle
                Layout.fillWidth: true
                spacing: 10
                Avatar {
                    handle: account.handle
                    name: account.displayName
                    source: account.avatarUrl
                    implicitWidth: 36
                    implicitHeight: 36
                    MouseArea { anchors.fill: parent; cursorShape: Qt.PointingHandCursor; onClicked: nav.openProfile(account.handle) }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.minimumWidth: 0
                    spacing: 0
                    Label {
                        text: account.displayName
                        textFormat: Text.PlainText
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "accountNote"
                        text: "@" + account.handle + (account.note !== "" ? " · " + account.note : "")
                        textFormat: Text.PlainText
                        color: Theme.muted
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                ActionButton {
                    objectName: accounts.buttonName
                    text: accounts.buttonText
                    onClicked: accounts.release(account.handle)
                }
            }
        }
        ActionButton {
            objectName: accounts.rowPrefix + "more"
            visible: accounts.list.hasMore
            enabled: !accounts.list.loading
            text: accounts.list.loading ? "Loading…" : "Load more"
            onClicked: accounts.list.loadMore()
        }
    }

    FileDialog {
        id: exportPicker
        objectName: "exportPicker"
        title: "Save my Barker data as"
        fileMode: FileDialog.SaveFile
        defaultSuffix: "zip"
        nameFilters: ["Zip archives (*.zip)"]
        onAccepted: settings.exportTo(selectedFile)
    }

    ColumnLayout {
        width: root.availableWidth
        spacing: Theme.gap

        Item { Layout.preferredHeight: 2 }

        Card {
            Label { text: "Account"; font.bold: true; font.pixelSize: 16 }
            Label { text: "@" + session.handle; color: Theme.muted }
            RowLayout {
                Label { text: "Role:" }
                Label {
                    objectName: "settingsRole"
                    text: session.role
                    font.bold: true
                    color: session.role === "user" ? Theme.text : Theme.accent
                }
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.muted
                text: session.role === "admin" ? "You run this server: you manage accounts, roles, registrations and invites."
                    : session.role === "moderator" ? "You approve new accounts and handle reports."
                    : "A member of this server."
            }
        }

        Card {
            objectName: "appearanceCard"
            Label { text: "Appearance"; font.bold: true; font.pixelSize: 16 }
            RowLayout {
                spacing: 16
                Repeater {
                    model: [
                        { choice: "system", label: "Follow the system" },
                        { choice: "light", label: "Light" },
                        { choice: "dark", label: "Dark" }
                    ]
                    delegate: RadioButton {
                        required property var modelData
                        objectName: "theme_" + modelData.choice
                        text: modelData.label
                        checked: appearance.choice === modelData.choice
                        onClicked: appearance.choice = modelData.choice
                        FocusRing { shown: parent.visualFocus; radius: 8 }
                    }
                }
            }
        }

        Card {
            objectName: "notificationsCard"
            Label { text: "Notifications"; font.bold: true; font.pixelSize: 16 }
            Toggle {
                objectName: "desktopNotificationsSwitch"
                text: "Desktop notifications"
                checked: appearance.desktopNotifications
                onToggled: appearance.desktopNotifications = checked
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.muted
                text: "When Barker's window is not in front, new mentions, replies and followers show in your "
                      + "desktop's notification area. A burst comes as one summary. A click opens Barker on it."
            }
        }

        Card {
            Label { text: "Export my data"; font.bold: true; font.pixelSize: 16 }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.muted
                text: "One zip with your profile, barks, follows, followers, blocks, mutes, bookmarks, reactions, "
                      + "notifications, your reports and the originals of your photos, in documented JSON. A few "
                      + "exports per hour."
            }
            RowLayout {
                spacing: 12
                ActionButton {
                    objectName: "exportButton"
                    text: "Export my data…"
                    enabled: settings.exportState !== "running"
                    onClicked: settings.exportPath !== "" ? settings.exportData() : exportPicker.open()
                }
                ProgressBar {
                    objectName: "exportProgress"
                    visible: settings.exportState === "running"
                    indeterminate: settings.exportProgress < 0
                    value: Math.max(0, settings.exportProgress)
                    Layout.preferredWidth: 160
                }
            }
            Label {
                objectName: "exportStatus"
                Layout.fillWidth: true
                visible: text !== ""
                text: settings.exportMessage
                wrapMode: Text.Wrap
                color: settings.exportState === "error" ? Theme.danger
                     : settings.exportState === "done" ? Theme.ok : Theme.muted
            }
        }

        Card {
            Label { text: "My reports"; font.bold: true; font.pixelSize: 16 }
            Label {
                objectName: "myReportsEmpty"
                visible: reports.mine.length === 0
                text: reports.error !== "" ? reports.error : "You have not reported anyone."
                color: reports.error !== "" ? Theme.danger : Theme.muted
            }
            Repeater {
                model: reports.mine
                delegate: Label {
                    required property var modelData
                    objectName: "myReport_" + modelData.id
                    readonly property string reportState: modelData.state
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                    text: "@" + modelData.handle + " · " + modelData.reason + " · " + modelData.state
                          + (modelData.note ? " — “" + modelData.note + "”" : "")
                    color: modelData.state === "open" ? Theme.muted : Theme.text
                }
            }
        }

        AccountsCard {
            objectName: "blockedAccounts"
            list: blocked
            title: "Blocked accounts"
            rowPrefix: "blocked_"
            buttonName: "unblockButton"
            buttonText: "Unblock"
            emptyText: "You don't block anyone. Block someone from their profile or a bark's ⋯ menu."
            release: function(handle) { safety.unblock(handle) }
        }

        AccountsCard {
            objectName: "mutedAccounts"
            list: muted
            title: "Muted accounts"
            rowPrefix: "muted_"
            buttonName: "unmuteButton"
            buttonText: "Unmute"
            emptyText: "You don't mute anyone."
            release: function(handle) { safety.unmute(handle) }
        }

        Card {
            Label { text: "Delete my account"; font.bold: true; font.pixelSize: 16; color: Theme.danger }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.muted
                text: "For good: it cannot be undone. Export your data first if you want to keep it."
            }
            ActionButton {
                objectName: "deleteAccountButton"
                text: "Delete my account…"
                onClicked: { settings.clearDeleteError(); deletePassword.text = ""; deleteDialog.open() }
            }
        }

        Item { Layout.preferredHeight: Theme.gap }
    }

    Dialog {
        id: deleteDialog
        objectName: "deleteDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(520, parent.width - 80)
        modal: true
        title: "Delete @" + session.handle + " for good?"
        contentItem: ColumnLayout {
            spacing: 10
            Label {
                objectName: "deleteWhatIsLost"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: "Everything of your account is removed from the server: every bark and rebark, your "
                      + "reactions, follows and followers, bookmarks, notifications, photos and sessions. "
                      + "Others' counts are corrected. Your handle stays reserved, so nobody can take it. "
                      + "This cannot be undone."
            }
            Label { text: "Your password, to confirm"; color: Theme.muted }
            Field {
                id: deletePassword
                objectName: "deletePassword"
                Layout.fillWidth: true
                echoMode: TextInput.Password
            }
            Label {
                objectName: "deleteError"
                Layout.fillWidth: true
                visible: text !== ""
                text: settings.deleteError
                color: Theme.danger
                wrapMode: Text.Wrap
            }
        }
        footer: DialogButtonBox {
            Button {
                objectName: "deleteConfirm"
                FocusRing { shown: parent.visualFocus; radius: 8 }
                text: settings.deleting ? "Deleting…" : "Delete my account"
                enabled: deletePassword.text !== "" && !settings.deleting
                DialogButtonBox.buttonRole: DialogButtonBox.ApplyRole
                onClicked: settings.deleteAccount(deletePassword.text)
            }
            Button { objectName: "deleteCancel"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
                     FocusRing { shown: parent.visualFocus; radius: 8 } }
        }
        Connections {
            target: session
            function onEnded() { deletePassword.text = ""; deleteDialog.close() }
        }
    }
}
