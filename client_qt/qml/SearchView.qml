// Search people (by handle, name or bio) or barks (words and #tags), as you type; trending tags above.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property Item barkList: search.mode === "barks" ? barkResults : peopleResults  // J / K (Main.qml)
    function takeFocus() { field.forceActiveFocus(Qt.ShortcutFocusReason) }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
            Field {
                id: field
                objectName: "searchField"
                Layout.fillWidth: true
                placeholderText: search.mode === "barks" ? "Search barks by words and #tags"
                                                         : "Search people by handle, name or bio"
                text: search.query
                onTextEdited: search.query = text
                onAccepted: search.run()
                Keys.onEscapePressed: focus = false  // back to the shortcuts
                selectByMouse: true
            }
            Row {
                objectName: "searchMode"
                spacing: 4
                Chip { objectName: "searchPeople"; text: "People"; active: search.mode === "people"
                       implicitHeight: 34; onClicked: search.mode = "people" }
                Chip { objectName: "searchBarks"; text: "Barks"; active: search.mode === "barks"
                       implicitHeight: 34; onClicked: search.mode = "barks" }
            }
        }

        TrendingTags {
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
        }

        PeopleList {
            id: peopleResults
            objectName: "searchList"
            visible: search.mode === "people"
            controller: search
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
            onAtEnd: search.loadMore()
        }

        BarkList {
            id: barkResults
            objectName: "barkSearchList"
            visible: search.mode === "barks"
            timeline: search.barkResults
            emptyText: search.query.trim() === "" ? "Type words or #tags to find barks." : "No barks match."
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
