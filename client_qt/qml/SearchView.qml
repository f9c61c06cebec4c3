// Search users by handle, name or bio, as you type.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Field {
            objectName: "searchField"
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.alignment: Qt.AlignHCenter
            placeholderText: "Search people by handle, name or bio"
            text: search.query
            onTextEdited: search.query = text
            onAccepted: search.run()
            selectByMouse: true
        }

        PeopleList {
            objectName: "searchList"
            controller: search
            Layout.fillWidth: true
            Layout.maximumWidth: 720
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignHCenter
            onAtEnd: search.loadMore()
        }
    }
}
