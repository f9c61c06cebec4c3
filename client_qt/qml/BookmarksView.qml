// My bookmarks, the newest bookmarked first (only I can see them).
import QtQuick
import QtQuick.Layouts

Item {
    readonly property Item barkList: list
    BarkList {
        id: list
        objectName: "bookmarksList"
        anchors.fill: parent
        anchors.margins: Theme.gap
        timeline: bookmarks
        emptyText: "No bookmarks yet: 🔖 on a bark keeps it here."
    }
}
