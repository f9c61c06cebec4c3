// The tags most people used in the last day, as chips: a click opens the tag's timeline.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Flow {
    objectName: "trending"
    spacing: 6
    visible: trending.items.length > 0

    Label {
        text: "Trending:"
        color: Theme.muted
        height: 28
        verticalAlignment: Text.AlignVCenter
    }
    Repeater {
        model: trending.items
        delegate: Chip {
            required property var modelData
            objectName: "trend_" + modelData.tag
            text: "#" + modelData.tag
            tip: modelData.authors + (modelData.authors === 1 ? " person, " : " people, ") + modelData.barks
                 + (modelData.barks === 1 ? " bark" : " barks")
            onClicked: nav.openTag(modelData.tag)
        }
    }
}
