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
    // "(3) Barker — @demo": the unread notifications first, where a taskbar that cuts the title still shows them.
    title: !session.loggedIn ? "Barker"
           : (notifications.unread > 0 ? "(" + notifications.unread + ") " : "") + "Barker — @" + session.handle
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

    // -- Keyboard: where focus goes, and the shortcuts (all of them here; `keys` lists them for the help) ----------
    // The side bar's pages in its order, for Alt+1…9.
    readonly property var sideBarPages: ["home", "profile", "nearby", "suggestions", "search", "notifications",
                                         "bookmarks", "settings", "moderation"]
    readonly property var keys: [
        { keys: "N", what: "New bark: write in the compose box" },
        { keys: "/", what: "Search" },
        { keys: "J  /  K", what: "Next / previous bark, notification or person (also ↓ / ↑ once the list has the keyboard)" },
        { keys: ".", what: "Go to the newest barks (what the “new barks” pill offers)" },
        { keys: "Enter", what: "Open the current bark's thread, the notification, or the person's profile (also Space)" },
        { keys: "R", what: "Reply to the current bark" },
        { keys: "L", what: "React 🐶 to the current bark (again: take it back)" },
        { keys: "P", what: "Open the current bark's author's profile" },
        { keys: "G then H", what: "Go to Home" },
        { keys: "G then N", what: "Go to Notifications" },
        { keys: "Alt+1 … Alt+9", what: "The side bar's pages, in order (Home, Profile, … Settings)" },
        { keys: "Tab  /  Shift+Tab", what: "Next / previous control (they leave the compose box too)" },
        { keys: "Ctrl+Enter", what: "Post the bark or reply" },
        { keys: "Esc", what: "Leave a text field (so the letter keys are shortcuts again); close a dialog" },
        { keys: "←  →   +  −   0", what: "In the image viewer: previous / next image, zoom in / out, fit the image" },
        { keys: "?  or  F1", what: "This list" }
    ]
    // Letters are text while a field has the keyboard: no letter shortcut fires then.
    readonly property bool typing: activeFocusItem !== null
                                   && (activeFocusItem instanceof TextInput || activeFocusItem instanceof TextEdit)
    readonly property bool inApp: session.loggedIn && !session.mustChangePassword
    readonly property bool letterKeys: inApp && !typing && !help.opened
    readonly property bool held: session.loggedIn && session.mustChangePassword  // the password change only

    function currentPage() { return pages.children[pages.currentIndex] }

    // Where the keyboard goes when a screen or a page opens: the log-in form's handle, Home's compose box,
    // Search's field, a thread's reply box; else the page itself (Tab goes on from there, J picks a bark: a list
    // given the keyboard here would ring a bark nobody chose).
    function placeFocus() {
        if (!session.loggedIn) { login.takeFocus(); return }
        if (held) { passwordChange.takeFocus(); return }
        if (!inApp) return
        var page = currentPage()
        if (!page) return
        if (page.takeFocus) page.takeFocus()
        else page.forceActiveFocus()
    }
    Component.onCompleted: Qt.callLater(placeFocus)
    onInAppChanged: Qt.callLater(placeFocus)  // logged in (or restored), or out
    onHeldChanged: Qt.callLater(placeFocus)  // the password change's first field
    Connections {
        target: nav
        function onOpened(page) { Qt.callLater(window.placeFocus) }
    }

    // The current page's list of barks (or notifications, or people), with the keyboard (J / K give it), and its
    // current bark.
    function barkList() { var page = currentPage(); return page && page.barkList ? page.barkList : null }
    function currentBark() {
        var list = barkList()
        var bark = list && list.activeFocus ? list.currentItem : null
        // A bark (a notification has no reactions), not a tombstone.
        return bark && bark.reactions !== undefined && !bark.deleted ? bark : null
    }
    function step(by) {
        var list = barkList()
        if (!list || list.count === 0) return
        if (list.activeFocus) {
            if (list.currentItem) list.currentItem.forceActiveFocus(Qt.ShortcutFocusReason)  // off its buttons
            list.currentIndex = Math.max(0, Math.min(list.count - 1, list.currentIndex + by))
        } else {
            // The first J or K picks the current bark if it is in view, else the top one in view.
            var current = list.currentItem
            var inView = current && current.y + current.height > list.contentY && current.y < list.contentY + list.height
            if (!inView) list.currentIndex = Math.max(0, list.indexAt(8, list.contentY + 8))
        }
        // The keyboard goes to the bark itself (not to one of its buttons, which stop being Tab stops once it is
        // no longer current).
        list.positionViewAtIndex(list.currentIndex, ListView.Contain)
        if (list.currentItem) list.currentItem.forceActiveFocus(Qt.ShortcutFocusReason)
    }
    function openPage(page) {
        if (page === "profile") nav.openProfile(session.handle)
        else nav.open(page)
    }

    Shortcut {
        sequence: "N"
        enabled: window.letterKeys
        onActivated: {
            if (nav.page === "home") window.placeFocus()
            else nav.open("home")  // and placeFocus puts the keyboard in the compose box
        }
    }
    Shortcut {
        sequence: "/"
        enabled: window.letterKeys
        onActivated: nav.page === "search" ? window.placeFocus() : nav.open("search")
    }
    Shortcut {
        sequence: "."
        enabled: window.letterKeys
        onActivated: { var list = window.barkList(); if (list && list.scrollToTop) list.scrollToTop() }
    }
    Shortcut { sequence: "J"; enabled: window.letterKeys; onActivated: window.step(1) }
    Shortcut { sequence: "K"; enabled: window.letterKeys; onActivated: window.step(-1) }
    Shortcut {
        sequence: "R"
        enabled: window.letterKeys
        onActivated: {
            var bark = window.currentBark()
            if (!bark) return
            compose.replyTo(bark.barkId, bark.handle, bark.text)
            nav.openThread(bark.barkId)  // the thread opens with its reply box focused
        }
    }
    Shortcut {
        sequence: "L"
        enabled: window.letterKeys
        onActivated: {
            var bark = window.currentBark()
            if (!bark) return
            actions.toggleReaction(bark.barkId, "🐶", bark.reactions.some(r => r.emoji === "🐶" && r.mine))
        }
    }
    Shortcut {  // Mastodon's key: the name and avatar on a bark are otherwise mouse-only
        sequence: "P"
        enabled: window.letterKeys
        onActivated: { var bark = window.currentBark(); if (bark) nav.openProfile(bark.handle) }
    }
    Shortcut { sequence: "G,H"; enabled: window.letterKeys; onActivated: nav.open("home") }
    Shortcut { sequence: "G,N"; enabled: window.letterKeys; onActivated: nav.open("notifications") }
    Instantiator {
        model: window.sideBarPages
        delegate: Shortcut {
            required property string modelData
            required property int index
            sequence: "Alt+" + (index + 1)
            // The moderation page only for those who see it in the side bar.
            enabled: window.inApp && !help.opened
                     && (modelData !== "moderation" || session.role === "moderator" || session.role === "admin")
            onActivated: window.openPage(modelData)
        }
    }
    Shortcut {
        sequences: ["?", "Shift+?"]
        enabled: window.letterKeys
        onActivated: help.open()
    }
    Shortcut {
        sequence: "F1"
        enabled: window.inApp
        onActivated: help.opened ? help.close() : help.open()
    }

    // The shortcuts, listed (? or F1; Esc or a click outside closes it).
    Popup {
        id: help
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(620, parent.width - 80)
        modal: true
        focus: true
        padding: 20
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
        onClosed: Qt.callLater(window.placeFocus)
        background: Rectangle { radius: 12; color: Theme.card; border.color: Theme.border }
        contentItem: ColumnLayout {
            objectName: "shortcutHelp"
            spacing: 8
            Label {
                text: "Keyboard shortcuts"
                font.pixelSize: 19
                font.bold: true
                Layout.bottomMargin: 4
            }
            GridLayout {
                columns: 2
                columnSpacing: 20
                rowSpacing: 6
                Layout.fillWidth: true
                Repeater {
                    model: window.keys
                    delegate: Label {
                        required property var modelData
                        required property int index
                        objectName: "shortcutKeys_" + index
                        text: modelData.keys
                        font.bold: true
                        color: Theme.accent
                        Layout.row: index
                        Layout.column: 0
                    }
                }
                Repeater {
                    model: window.keys
                    delegate: Label {
                        required property var modelData
                        required property int index
                        text: modelData.what
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                        Layout.row: index
                        Layout.column: 1
                    }
                }
            }
            Label {
                text: "Letter keys work when no text field has the keyboard. Esc closes this list."
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.topMargin: 4
            }
        }
    }

    LoginView {
        id: login
        anchors.fill: parent
        visible: !session.loggedIn
    }

    PasswordChangeView {
        id: passwordChange
        anchors.fill: parent
        visible: session.loggedIn && session.mustChangePassword
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0
        visible: session.loggedIn && !session.mustChangePassword

        // Below 800 px the side bar gives its room to the page: icons only.
        SideBar {
            objectName: "sideBar"
            compact: window.width < 800
            Layout.fillHeight: true
            Layout.preferredWidth: compact ? 64 : 210
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TopBar {
                Layout.fillWidth: true
            }

            StackLayout {
                id: pages
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
                FollowsView {}
            }
        }
    }

    // A bark's images at full size, over everything (MediaViewer.qml).
    MediaViewer {}

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
                     onClicked: links.confirm(); FocusRing { shown: parent.visualFocus; radius: 8 } }
            Button { objectName: "linkCancel"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
                     FocusRing { shown: parent.visualFocus; radius: 8 } }
        }
    }

    ReportDialog {}
    SafetyDialog {}
    ConfirmDialog {}

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
            Keys.onReturnPressed: notices.act()
            FocusRing { shown: noticeAction.visualFocus }
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
