// Lederrefleksion on Azure: an Azure Bot with the Teams channel, a Linux App Service on Node 20,
// and a serverless Cosmos DB for NoSQL, with the app settings wired to the bot's settings.
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p @infra/main.parameters.json

@description('Short name used in resource names (lowercase letters and digits).')
@minLength(3)
@maxLength(16)
param name string = 'lederrefleksion'

@description('Azure region for the App Service and Cosmos DB. Keep it in the EU.')
@allowed(['westeurope', 'northeurope', 'swedencentral', 'germanywestcentral', 'francecentral', 'norwayeast', 'denmarkeast'])
param location string = 'westeurope'

@description('UserAssignedMSI: the bot signs in with a managed identity created here (no secret). SingleTenant: an Entra app registration you created, with a client secret.')
@allowed(['UserAssignedMSI', 'SingleTenant'])
param botIdentityType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s application (client) id.')
param singleTenantAppId string = ''

@secure()
@description('SingleTenant only: the app registration\'s client secret.')
param singleTenantAppPassword string = ''

@secure()
@description('HMAC key for export links, at least 32 characters (e.g. openssl rand -base64 48).')
@minLength(32)
param exportSigningKey string

@description('Delete reflections older than this many days; 0 keeps them.')
@minValue(0)
param retentionDays int = 0

@description('App Service plan size. B1 is enough for one municipality.')
param appServiceSku string = 'B1'

@description('Azure Bot pricing tier. F0 is free (standard channels such as Teams are free on both).')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('How the app reaches Cosmos DB. managed-identity (with UserAssignedMSI): keyless, through the data-plane role, and the account key is switched off. key: the account key in an app setting.')
@allowed(['managed-identity', 'key'])
param cosmosAuth string = 'managed-identity'

var suffix = uniqueString(resourceGroup().id)
var siteName = '${name}-${suffix}'
var useManagedIdentity = botIdentityType == 'UserAssignedMSI'
// Keyless Cosmos uses the bot's managed identity, so it needs the UserAssignedMSI setup.
var keylessCosmos = cosmosAuth == 'managed-identity' && useManagedIdentity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = if (useManagedIdentity) {
  name: '${name}-bot-identity'
  location: location
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: '${name}-${suffix}'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    capabilities: [{ name: 'EnableServerless' }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    minimalTlsVersion: 'Tls12'
    // Keyless access switches the account keys off altogether.
    disableLocalAuth: keylessCosmos
  }
}

// Containers are infrastructure: one definition each in containers.json, which the app reads
// too. The app checks that they exist and never creates them.
var databaseName = 'lederrefleksion'
var containerSpecs = loadJsonContent('containers.json').containers

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for spec in containerSpecs: {
    parent: database
    name: spec.defaultName
    properties: {
      resource: {
        id: spec.defaultName
        partitionKey: spec.partitionKey
        defaultTtl: spec.defaultTtl
        indexingPolicy: spec.indexingPolicy
      }
    }
  }
]

// "Cosmos DB Built-in Data Contributor": read and write items, nothing on the account itself.
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = if (keylessCosmos) {
  parent: cosmos
  name: guid(cosmos.id, name, 'cosmos-data-contributor')
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  // The app exits (code 2) if a container is missing, so they come first.
  dependsOn: [containers]
  kind: 'app,linux'
  identity: useManagedIdentity ? { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } } : null
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm run start:prod'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/readyz'
      appSettings: [
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'MicrosoftAppType', value: botIdentityType }
        { name: 'MicrosoftAppId', value: useManagedIdentity ? identity.properties.clientId : singleTenantAppId }
        { name: 'MicrosoftAppPassword', value: useManagedIdentity ? '' : singleTenantAppPassword }
        { name: 'MicrosoftAppTenantId', value: tenant().tenantId }
        { name: 'COSMOS_ENDPOINT', value: cosmos.properties.documentEndpoint }
        { name: 'COSMOS_AUTH', value: keylessCosmos ? 'managed-identity' : 'key' }
        { name: 'COSMOS_KEY', value: keylessCosmos ? '' : cosmos.listKeys().primaryMasterKey }
        { name: 'COSMOS_MANAGED_IDENTITY_CLIENT_ID', value: keylessCosmos ? identity.properties.clientId : '' }
        { name: 'COSMOS_DATABASE', value: databaseName }
        { name: 'PUBLIC_BASE_URL', value: 'https://${siteName}.azurewebsites.net' }
        { name: 'EXPORT_SIGNING_KEY', value: exportSigningKey }
        { name: 'RETENTION_DAYS', value: retentionDays == 0 ? 'off' : string(retentionDays) }
        { name: 'LOG_LEVEL', value: 'info' }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'Lederrefleksion'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppType: botIdentityType
    msaAppId: useManagedIdentity ? identity.properties.clientId : singleTenantAppId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: useManagedIdentity ? identity.id : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output siteName string = site.name
output siteUrl string = 'https://${site.properties.defaultHostName}'
output botAppId string = useManagedIdentity ? identity.properties.clientId : singleTenantAppId
output cosmosEndpoint string = cosmos.properties.documentEndpoint
