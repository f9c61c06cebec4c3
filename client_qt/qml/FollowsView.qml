// Someone's followers, or the people they follow (from the counts on their profile): a page at a time as the
// list scrolls; a row opens that profile (J / K and Enter too). The top bar names whose list it is and leads back.
import QtQuick

Item {
    readonly property Item barkList: followsList  // J / K move through the people (Main.qml)

    PeopleList {
        id: followsList
        objectName: "followsList"
        controller: follows
        anchors.fill: parent
        anchors.margins: Theme.gap
        anchors.leftMargin: Math.max(Theme.gap, (parent.width - 720) / 2)
        anchors.rightMargin: Math.max(Theme.gap, (parent.width - 720) / 2)
        onAtEnd: follows.loadMore()
    }
}
