// The page title and the connection indicator (the live stream's state): when it is not live, why, the
// countdown to the next attempt, and "Retry now".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    implicitHeight: 52
    color: Theme.card
    border.color: Theme.border

    readonly property var titles: ({ home: "Home", profile: "Profile", nearby: "Nearby",
                                     suggestions: "Who to follow", search: "Search",
                                     notifications: "Notifications", bookmarks: "Bookmarks",
                                     thread: "Thread", tag: "Tag", settings: "Settings",
                                     moderation: "Moderation" })

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 20
        anchors.rightMargin: 20

        ToolButton {
            objectName: "backButton"
            visible: nav.page === "thread" || nav.page === "tag" || nav.page === "people"
            text: "←"
            font.pixelSize: 18
            onClicked: nav.back()
            FocusRing { shown: parent.visualFocus; radius: 8 }
        }
        Label {
            objectName: "pageTitle"
            text: nav.page === "people" ? follows.title : (titles[nav.page] || "")
            textFormat: Text.PlainText
            elide: Text.ElideRight
            font.pixelSize: 19
            font.bold: true
            Layout.fillWidth: true
            Layout.minimumWidth: implicitWidth  // the status gives way first
        }

        Rectangle {
            objectName: "connectionIndicator"
            width: 10
            height: 10
            radius: 5
            color: stream.state === "live" ? Theme.ok : (stream.state === "connecting" ? Theme.warn : Theme.danger)
        }
        Label {
            objectName: "connectionText"
            text: stream.state === "live" ? "Live" : stream.detail
            textFormat: Text.PlainText
            color: Theme.muted
            font.pixelSize: 13
            // On one line while there is room; in a narrow window on two, then elided.
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            Layout.fillWidth: true
            Layout.minimumWidth: 0
            Layout.maximumWidth: Math.min(implicitWidth, 300)
        }
        ActionButton {
            objectName: "retryNowButton"
            visible: stream.retrying
            text: "Retry now"
            font.pixelSize: 13
            padding: 4
            onClicked: stream.retryNow()
        }
    }
}
