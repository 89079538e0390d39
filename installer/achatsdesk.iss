; Inno Setup script for Windows. Build the bundle first on Windows with
; `make dist` (PyInstaller writes dist\achatsdesk\), then compile this file
; with ISCC.exe installer\achatsdesk.iss.
#define AppName "achatsdesk"
#define AppVersion "0.1.0"
#define BundleDir "..\dist\achatsdesk"

[Setup]
AppId={{6C1F0E4B-3E7A-4B0E-9C55-ACA7DE5D0001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=achatsdesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
OutputDir=..\dist
OutputBaseFilename=achatsdesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\achatsdesk.exe
WizardStyle=modern
; The .achatsdesk file association below: tell Explorer to refresh its icons.
ChangesAssociations=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Files]
; The whole onedir bundle: both programs, Qt, resources, migrations.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\achatsdesk.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\achatsdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Créer une icône sur le Bureau"; Flags: unchecked

[Registry]
; .achatsdesk files open in achatsdesk by double-click (the file is imported, or merged
; into its dossier when it is a review coming back). Per user (HKA), removed at uninstall.
Root: HKA; Subkey: "Software\Classes\.achatsdesk"; ValueType: string; ValueName: ""; ValueData: "achatsdesk.Dossier"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.achatsdesk\OpenWithProgids"; ValueType: string; ValueName: "achatsdesk.Dossier"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\achatsdesk.Dossier"; ValueType: string; ValueName: ""; ValueData: "Dossier achatsdesk"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\achatsdesk.Dossier\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\achatsdesk.exe,0"
Root: HKA; Subkey: "Software\Classes\achatsdesk.Dossier\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\achatsdesk.exe"" ""%1"""

[Run]
; Smoke test of the installed bundle, then offer to start it.
Filename: "{app}\achatsdesk.exe"; Parameters: "--self-check"; Flags: runhidden waituntilterminated; StatusMsg: "Vérification de l'installation…"
Filename: "{app}\achatsdesk.exe"; Description: "Lancer achatsdesk"; Flags: nowait postinstall skipifsilent
