// Who to follow: friends of friends, "followed by …", with follow and dismiss buttons (a dismissed row keeps its
// place, with Undo, until the pointer leaves the list).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property Item barkList: peopleList  // J / K move through the people (Main.qml)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        RowLayout {
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
            Label {
                text: "People followed by people you follow"
                color: Theme.muted
                Layout.fillWidth: true
            }
            Toggle {
                objectName: "suggestionsWider"
                text: "one hop further"
                checked: suggestions.depth === 3
                onToggled: suggestions.depth = checked ? 3 : 2
            }
            Button { text: "Refresh"; flat: true; onClicked: suggestions.refresh()
                     FocusRing { shown: parent.visualFocus; radius: 8 } }
        }

        PeopleList {
            id: peopleList
            objectName: "suggestionsList"
            controller: suggestions
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
            onUndo: handle => suggestions.undismiss(handle)
            onPointerLeft: suggestions.settle()
            extraActions: Component {
                Button {
                    objectName: "dismiss"
                    text: "Dismiss"
                    flat: true
                    activeFocusOnTab: parent.tabStop
                    FocusRing { shown: parent.visualFocus }
                    onClicked: {
                        var byKeyboard = activeFocus
                        suggestions.dismiss(parent.handle)
                        if (byKeyboard) parent.row.focusCover()
                    }
                }
            }
        }
    }
}
