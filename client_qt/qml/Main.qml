// The window: the log-in screen, the forced password change, or the app (navigation on the left, the page, a status bar on top).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1100
    height: 760
    minimumWidth: 600
    minimumHeight: 560
    visible: true
    title: session.loggedIn ? "Barker — @" + session.handle : "Barker"
    color: Theme.background
    // Every colour role of the Controls from Theme, so that none comes from the system's palette (a dark
    // system palette would otherwise draw the Controls' text light on our light cards, or the reverse).
    palette {
        window: Theme.background
        windowText: Theme.text
        base: Theme.field
        alternateBase: Theme.background
        text: Theme.text
        button: Theme.control
        buttonText: Theme.text
        brightText: Theme.textOnAccent
        highlight: Theme.accent
        highlightedText: Theme.textOnAccent
        accent: Theme.accent
        link: Theme.accent
        linkVisited: Theme.accent
        toolTipBase: Theme.toast
        toolTipText: Theme.textOnToast
        placeholderText: Theme.muted
        light: Theme.light
        midlight: Theme.midlight
        mid: Theme.mid
        dark: Theme.shade
        shadow: Theme.shadow
        disabled.windowText: Theme.disabledText
        disabled.text: Theme.disabledText
        disabled.buttonText: Theme.disabledText
        disabled.base: Theme.background
        disabled.highlight: Theme.disabledFill
    }

    // Light or dark: the user's choice in the settings, or the system's colour scheme.
    Binding {
        target: Theme
        property: "dark"
        value: appearance.dark
    }

    LoginView {
        anchors.fill: parent
        visible: !session.loggedIn
    }

    PasswordChangeView {
        anchors.fill: parent
        visible: session.loggedIn && session.mustChangePassword
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0
        visible: session.loggedIn && !session.mustChangePassword

        SideBar {
            Layout.fillHeight: true
            Layout.preferredWidth: 210
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TopBar {
                Layout.fillWidth: true
            }

            StackLayout {
                objectName: "pages"
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: nav.pageIndex

                HomeView {}
                ProfileView {}
                NearbyView {}
                SuggestionsView {}
                SearchView {}
                NotificationsView {}
                BookmarksView {}
                ThreadView {}
                TagView {}
                SettingsView {}
                ModerationView {}
            }
        }
    }

    // An image at full size, over everything: a click or Esc closes it.
    Popup {
        id: viewerPopup
        objectName: "mediaViewer"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: parent.width
        height: parent.height
        modal: true
        focus: true
        padding: 24
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
        background: Rectangle { color: Theme.scrim }
        onClosed: viewer.close()
        Connections {
            target: viewer
            function onChanged() {
                if (viewer.url !== "") viewerPopup.open()
                else viewerPopup.close()
            }
        }
        contentItem: Item {
            Image {
                id: full
                objectName: "viewerImage"
                readonly property int loadStatus: status  // for tests: PySide can't read the enum
                anchors.fill: parent
                source: viewer.url
                asynchronous: true
                fillMode: Image.PreserveAspectFit
            }
            BusyIndicator {
                anchors.centerIn: parent
                running: full.status === Image.Loading
            }
            Label {
                anchors.centerIn: parent
                visible: full.status === Image.Error
                text: "The image could not be loaded."
                color: Theme.textOnScrim
            }
            MouseArea {
                objectName: "viewerClose"
                anchors.fill: parent
                onClicked: viewer.close()
            }
        }
    }

    // A link in a bark: its real target first, then the system browser only if confirmed.
    Dialog {
        id: linkDialog
        objectName: "linkDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(560, parent.width - 80)
        modal: true
        title: "Open this link?"
        onRejected: links.cancel()
        Connections {
            target: links
            function onChanged() {
                if (links.pending !== "") linkDialog.open()
                else linkDialog.close()
            }
        }
        contentItem: Label {
            objectName: "linkTarget"
            text: links.pending
            textFormat: Text.PlainText
            wrapMode: Text.WrapAnywhere
        }
        footer: DialogButtonBox {
            Button { objectName: "linkOpen"; text: "Open in browser"; DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
                     onClicked: links.confirm() }
            Button { objectName: "linkCancel"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
        }
    }

    ReportDialog {}
    SafetyDialog {}

    // App-wide messages: a failed action, the server unreachable; some with an action (Undo).
    Rectangle {
        id: notice
        objectName: "notice"
        readonly property int actionWidth: noticeAction.visible ? noticeAction.implicitWidth + 12 : 0
        visible: notices.text !== ""
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 24
        width: Math.min(noticeText.implicitWidth + actionWidth + 40, parent.width - 80)
        height: Math.max(noticeText.implicitHeight, noticeAction.visible ? noticeAction.implicitHeight : 0) + 20
        radius: 8
        color: Theme.toast
        // Behind the text and the action: a click dismisses the notice.
        MouseArea {
            anchors.fill: parent
            onClicked: notices.show("")
        }
        Text {
            id: noticeText
            objectName: "noticeText"
            anchors.left: parent.left
            anchors.leftMargin: 20
            anchors.verticalCenter: parent.verticalCenter
            width: parent.width - 40 - notice.actionWidth
            text: notices.text
            textFormat: Text.PlainText
            color: Theme.textOnToast
            wrapMode: Text.Wrap
            horizontalAlignment: noticeAction.visible ? Text.AlignLeft : Text.AlignHCenter
        }
        AbstractButton {
            id: noticeAction
            objectName: "noticeAction"
            visible: notices.actionText !== ""
            anchors.right: parent.right
            anchors.rightMargin: 14
            anchors.verticalCenter: parent.verticalCenter
            implicitWidth: actionLabel.implicitWidth + 16
            implicitHeight: actionLabel.implicitHeight + 10
            onClicked: notices.act()
            contentItem: Text {
                id: actionLabel
                text: notices.actionText
                color: Theme.toastAction
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
        }
    }
}
