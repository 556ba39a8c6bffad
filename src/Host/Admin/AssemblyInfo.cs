using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OpenBastion.Admin.Tests")]
