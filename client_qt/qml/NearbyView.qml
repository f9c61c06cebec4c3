// Nearby: share or clear my location (typed coordinates or a city), the nearest users with rounded
// distances, and the radar.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: page
    // The radar needs this much beside the list; a narrower page shows the list alone (it says the same).
    readonly property bool roomForRadar: width >= 300 + 260 + 3 * Theme.gap
    readonly property Item barkList: nearbyList  // J / K move through the people (Main.qml)

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        ColumnLayout {
            Layout.preferredWidth: 440
            Layout.maximumWidth: page.roomForRadar ? 440 : Number.POSITIVE_INFINITY
            Layout.minimumWidth: 300
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            Rectangle {
                Layout.fillWidth: true
                implicitHeight: controls.implicitHeight + 24
                radius: 10
                color: Theme.card
                border.color: Theme.border

                ColumnLayout {
                    id: controls
                    anchors.fill: parent
                    anchors.margins: 12
                    spacing: 6

                    Label {
                        objectName: "sharingStatus"
                        text: nearby.sharing ? "Sharing your location: " + nearby.locationText
                                             : "Not sharing your location"
                        font.bold: true
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        text: "Barker keeps only the grid cell (about 1 km across) your position falls in; others "
                              + "see a distance in whole km between cells, never your coordinates."
                        color: Theme.muted
                        font.pixelSize: 12
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        Field { id: lat; objectName: "nearbyLat"; placeholderText: "latitude"; Layout.fillWidth: true }
                        Field { id: lon; objectName: "nearbyLon"; placeholderText: "longitude"; Layout.fillWidth: true }
                        ActionButton { objectName: "nearbyShare"; text: "Share"; onClicked: nearby.share(lat.text, lon.text) }
                    }
                    RowLayout {
                        ComboBox {
                            id: city
                            objectName: "nearbyCity"
                            FocusRing { shown: parent.visualFocus; radius: 8 }
                            model: nearby.cities
                            font.pixelSize: 14
                            implicitHeight: 36
                            Layout.fillWidth: true
                        }
                        ActionButton { objectName: "nearbyShareCity"; text: "I am here"; onClicked: nearby.shareCity(city.currentIndex) }
                    }
                    Button {
                        objectName: "nearbyClear"
                        FocusRing { shown: parent.visualFocus; radius: 8 }
                        visible: nearby.sharing
                        text: "Stop sharing…"
                        flat: true
                        onClicked: confirm.askStopSharing()
                    }
                    Label {
                        objectName: "nearbyError"
                        visible: text !== ""
                        text: nearby.error
                        color: Theme.danger
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
            }

            PeopleList {
                id: nearbyList
                objectName: "nearbyList"
                controller: nearby
                note: function(row) { return row.distanceKm + " km away" }
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
        }

        Radar {
            objectName: "radar"
            visible: nearby.sharing && page.roomForRadar
            model: nearby.model
            radiusKm: nearby.radiusKm
            Layout.minimumWidth: 260
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        Item { visible: !nearby.sharing && page.roomForRadar; Layout.fillWidth: true }
    }
}
